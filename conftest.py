"""Shared pytest fixtures."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent
SHARED = REPO.parent / "shared"


def require_tool(name: str) -> str:
    """Path of an external tool; skip without it, except under CI where it must exist."""
    found = shutil.which(name)
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail(f"{name} is required under CI but is not installed")
    pytest.skip(f"{name} not installed")
    raise AssertionError  # unreachable


def shared_file(relative: str) -> Path:
    """A file from ../shared; skip cleanly when the folder is absent."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"../shared/{relative} not available")
    return path


@pytest.fixture
def categories(db):
    from django.core.management import call_command

    from wenku.core.demo_content import CATEGORY_TREE
    from wenku.core.models import Category

    for root_pos, (name, slug, children) in enumerate(CATEGORY_TREE):
        root = Category.objects.create(name=name, slug=slug, position=root_pos)
        for pos, (child_name, child_slug) in enumerate(children):
            Category.objects.create(name=child_name, slug=child_slug, parent=root, position=pos)
    del call_command
    return Category.objects.all()


@pytest.fixture
def make_user(db):
    from wenku.accounts.models import User

    counter = {"n": 0}

    def _make(username: str | None = None, password: str = "Secret-pass-2024", **extra):
        counter["n"] += 1
        user = User.objects.create_user(
            username=username or f"member{counter['n']}", password=password, **extra
        )
        user.raw_password = password
        return user

    return _make
