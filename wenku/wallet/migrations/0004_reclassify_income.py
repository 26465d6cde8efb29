"""Split existing wallets by kind of point.

Before 0003 a member had one account. Its sales income not yet withdrawn (sales
minus refunds minus withdrawals, capped by the balance: the old withdrawable
amount) moves to the member's income account, withdrawable at once; everything
else stays bonus. Purchases made before the split count as paid with paid points
and already released, so refunding one takes the income back.
"""

from django.db import migrations
from django.db.models import Q, Sum


def _earned(Entry, account):
    rows = Entry.objects.filter(
        Q(transfer__kind="purchase", amount__gt=0)
        | Q(transfer__kind="refund", amount__lt=0)
        | Q(transfer__kind__in=["withdrawal_hold", "withdrawal_released"]),
        account=account,
    )
    return int(rows.aggregate(s=Sum("amount"))["s"] or 0)


def forward(apps, schema_editor):
    Account = apps.get_model("wallet", "Account")
    Entry = apps.get_model("wallet", "Entry")
    Transfer = apps.get_model("wallet", "Transfer")
    Purchase = apps.get_model("wallet", "Purchase")
    for bonus in Account.objects.filter(kind="member").order_by("pk"):
        amount = max(0, min(_earned(Entry, bonus), bonus.balance))
        if not amount:
            continue
        income, _ = Account.objects.get_or_create(
            user_id=bonus.user_id, kind="member_income"
        )
        transfer = Transfer.objects.create(
            kind="reclassify",
            idempotency_key=f"reclassify:income:{bonus.user_id}",
            memo="积分分类：已有的出售收入转为可提现收入",
        )
        bonus.balance -= amount
        income.balance += amount
        Account.objects.filter(pk=bonus.pk).update(balance=bonus.balance)
        Account.objects.filter(pk=income.pk).update(balance=income.balance)
        Entry.objects.bulk_create(
            [
                Entry(
                    transfer=transfer,
                    account=bonus,
                    amount=-amount,
                    balance_after=bonus.balance,
                ),
                Entry(
                    transfer=transfer,
                    account=income,
                    amount=amount,
                    balance_after=income.balance,
                ),
            ]
        )
    for purchase in Purchase.objects.filter(income_released_at__isnull=True):
        Purchase.objects.filter(pk=purchase.pk).update(
            seller_income=purchase.price - purchase.commission,
            income_released_at=purchase.created_at,
        )


class Migration(migrations.Migration):
    dependencies = [("wallet", "0003_points_by_kind")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
