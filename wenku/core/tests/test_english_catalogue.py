"""The English catalogue (wenku/locale/en/LC_MESSAGES/django.po) is complete, and the
compiled .mo the site loads is the one the .po gives."""

from __future__ import annotations

import gettext
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from conftest import require_tool

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"


def test_every_message_has_its_english_and_the_mo_is_compiled(tmp_path):
    msgfmt = require_tool("msgfmt")
    compiled = tmp_path / "django.mo"
    result = subprocess.run(
        [msgfmt, "--check", "--statistics", "-o", compiled, CATALOGUE / "django.po"],
        capture_output=True,
        text=True,
        check=True,
    )
    # "N translated messages." and nothing fuzzy or untranslated.
    assert result.stderr.strip().endswith(" translated messages."), result.stderr
    assert "fuzzy" not in result.stderr and "untranslated" not in result.stderr
    with compiled.open("rb") as fresh, (CATALOGUE / "django.mo").open("rb") as shipped:
        expected = gettext.GNUTranslations(fresh)._catalog  # type: ignore[attr-defined]
        assert gettext.GNUTranslations(shipped)._catalog == expected  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_labels_from_python_constants_are_translated(client, categories):
    """Sort and filter labels live in constants, marked with gettext_noop."""
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    listing = client.get("/c/jiaoyu/").content.decode()
    for label in ("All formats", "Any length", "1–5 pages", "Newest", "Most viewed"):
        assert f">{label}<" in listing, label
    results = client.get("/search", {"q": "教育"}).content.decode()
    for label in ("Relevance", "Most downloaded", "Paid"):
        assert f">{label}<" in results, label
