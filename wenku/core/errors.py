"""The site's own error answers.

Every error page extends the site layout (``templates/<status>.html``) and offers a way
on: search, the home page, back. A page number past the last one is a 404 that links
to the last page (``PageOutOfRange``, raised by ``core.listing.listing_page`` and the
search page), answered by ``page_not_found`` (``handler404`` in ``wenku/urls.py``).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render


class PageOutOfRange(Http404):
    """A results or listing page past the last one (``query``: the search's, kept in
    the header's search box, the page's only one)."""

    def __init__(self, *, last_page: int, last_page_url: str, query: str = "") -> None:
        super().__init__(f"没有这一页，最后一页是第 {last_page} 页 / No such page")
        self.last_page = last_page
        self.last_page_url = last_page_url
        self.query = query


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The branded 404; for a page number out of range, with a link to the last page."""
    context = {}
    if isinstance(exception, PageOutOfRange):
        context = {
            "last_page": exception.last_page,
            "last_page_url": exception.last_page_url,
            "query": exception.query,
        }
    return render(request, "404.html", context, status=404)
