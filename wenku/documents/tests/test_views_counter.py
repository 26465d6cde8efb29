"""No write on a read: page views are tallied in memory and written in one batch."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wenku.documents.services import views_flush

pytestmark = pytest.mark.django_db


def test_a_page_view_writes_nothing_until_the_flush(client, make_document, settings):
    settings.VIEW_FLUSH_SECONDS = 3600  # the flusher thread waits; the test flushes
    views_flush()
    first, second = make_document(), make_document()
    # A first view fills the site settings row and the related-searches cache.
    for document in (first, second):
        client.get(document.get_absolute_url())
    views_flush()
    first.refresh_from_db()
    assert first.views == 1
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert client.get(first.get_absolute_url()).status_code == 200
        client.get(second.get_absolute_url())
    writes = [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    ]
    assert writes == []
    first.refresh_from_db()
    assert first.views == 1
    assert views_flush() == 4
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.views, second.views) == (4, 2)
    assert views_flush() == 0


def test_views_of_pages_nobody_may_see_are_not_counted(client, make_document, settings):
    settings.VIEW_FLUSH_SECONDS = 3600
    views_flush()
    hidden = make_document(status="processing")
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert views_flush() == 0
