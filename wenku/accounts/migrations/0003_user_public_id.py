from django.db import migrations, models

import wenku.accounts.models


def number_existing_members(apps, schema_editor):
    # One random number per existing member (a column default would give all one).
    User = apps.get_model("accounts", "User")
    taken: set[int] = set()
    for pk in User.objects.order_by("pk").values_list("pk", flat=True):
        number = wenku.accounts.models.new_public_id()
        while number in taken:
            number = wenku.accounts.models.new_public_id()
        taken.add(number)
        User.objects.filter(pk=pk).update(public_id=number)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_apitoken_expires_at")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="public_id",
            field=models.PositiveBigIntegerField(
                editable=False, null=True, verbose_name="会员编号"
            ),
        ),
        migrations.RunPython(number_existing_members, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="public_id",
            field=models.PositiveBigIntegerField(
                default=wenku.accounts.models.new_public_id,
                editable=False,
                unique=True,
                verbose_name="会员编号",
            ),
        ),
    ]
