"""`wenku points ...`: grant or debit points, check the ledger.

Loaded by wenku/cli.py after Django is set up, so models import at module level.
"""

from __future__ import annotations

import argparse
import sys

from django.contrib.auth import get_user_model

from wenku.wallet.selectors import ledger_problems, wallet_balance
from wenku.wallet.services import WalletError, wallet_grant


def add_subcommand(subparsers: argparse._SubParsersAction) -> None:
    points = subparsers.add_parser("points", help="points wallet: grant, check")
    sub = points.add_subparsers(dest="points_command", required=True)

    grant = sub.add_parser("grant", help="credit (or, if negative, debit) a member")
    grant.add_argument("user", help="username")
    grant.add_argument("amount", type=int, help="points; negative debits")
    grant.add_argument("--reason", required=True)
    grant.set_defaults(func=cmd_grant)

    check = sub.add_parser("check", help="verify that the ledger balances")
    check.set_defaults(func=cmd_check)


def cmd_grant(ns: argparse.Namespace) -> int:
    user = get_user_model().objects.filter(username=ns.user).first()
    if user is None:
        print(f"没有这个会员 / No such member: {ns.user}", file=sys.stderr)
        return 2
    try:
        wallet_grant(user=user, amount=ns.amount, reason=ns.reason)
    except WalletError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    print(f"{user.username}: {ns.amount:+d} → {wallet_balance(user=user)}")
    return 0


def cmd_check(ns: argparse.Namespace) -> int:
    problems = ledger_problems()
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print("ledger OK")
    return 1 if problems else 0
