"""Filters, sort and pagination shared by the home and category listings; the page
number rule every listing and the search page share (``page_number``, ``listing_page``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.functional import cached_property
from django.utils.translation import gettext_noop

from wenku.conversion import registry
from wenku.core.errors import PageOutOfRange
from wenku.documents.selectors import document_list_filtered

PAGE_RANGES: dict[str, tuple[int | None, int | None]] = {
    "1-5": (1, 5),
    "6-20": (6, 20),
    "21-100": (21, 100),
    "100+": (101, None),
}
# Labels are translated where they are shown ({% translate label %}); gettext_noop only
# puts them in the catalogue.
PAGE_RANGE_LABELS = {
    "1-5": gettext_noop("1-5页"),
    "6-20": gettext_noop("6-20页"),
    "21-100": gettext_noop("21-100页"),
    "100+": gettext_noop("100+页"),
}
SORTS = {
    "newest": gettext_noop("最新"),
    "downloads": gettext_noop("最多下载"),
    "views": gettext_noop("最多浏览"),
}
PER_PAGE = 24
MAX_PAGES = 50  # a listing pages this far; past it, filters, sort and search narrow it


class BoundedPaginator(Paginator):
    """Counts at most ``MAX_PAGES`` pages of rows — one bounded query over the sort's
    index, never a count of the whole table — and pages no further ("50+ 页")."""

    @cached_property
    def count(self) -> int:
        rows = cast("QuerySet[Any]", self.object_list)
        return rows[: MAX_PAGES * self.per_page + 1].count()

    @cached_property
    def num_pages(self) -> int:
        return int(min(super().num_pages, MAX_PAGES))

    @property
    def truncated(self) -> bool:
        return bool(self.count > MAX_PAGES * self.per_page)


def page_number(raw: str | None) -> int:
    """The requested page; anything odd (not short ASCII digits, or 0) is the first."""
    raw = raw or ""
    ok = raw.isascii() and raw.isdigit() and 0 < len(raw) <= 5 and int(raw) > 0
    return int(raw) if ok else 1


def listing_page(
    paginator: Paginator, raw: str | None, *, link: Callable[[int], str]
) -> Page:
    """The requested page of a listing; past the last one, a 404 that links to the
    last page (``link(n)`` is the address of page n)."""
    number = page_number(raw)
    last = max(paginator.num_pages, 1)
    if number > last:
        raise PageOutOfRange(last_page=last, last_page_url=link(last))
    return paginator.page(number)


# The labels of registry.GROUPS that are words, for the catalogue (the conversion
# library imports nothing of Django); shown with {% translate label %}.
FORMAT_GROUP_LABELS = (gettext_noop("电子书"),)


@dataclass(frozen=True)
class ListingParams:
    fmt: str
    pages: str
    sort: str

    @classmethod
    def from_query(cls, query: QueryDict) -> ListingParams:
        fmt = query.get("format", "")
        pages = query.get("pages", "")
        sort = query.get("sort", "newest")
        group = registry.group_for(fmt)
        return cls(
            fmt=group.key if group else "",
            pages=pages if pages in PAGE_RANGES else "",
            sort=sort if sort in SORTS else "newest",
        )

    def link(self, **changes: str) -> str:
        values = {"format": self.fmt, "pages": self.pages, "sort": self.sort, **changes}
        return "?" + urlencode({k: v for k, v in values.items() if v})

    def query_string(self) -> str:
        return self.link()[1:]


def paginate_listing(
    category_ids: list[int] | None, query: QueryDict
) -> dict[str, Any]:
    params = ListingParams.from_query(query)
    low, high = PAGE_RANGES.get(params.pages, (None, None))
    queryset = document_list_filtered(
        category_ids=category_ids,
        file_types=list(registry.group_types(params.fmt)) or None,
        pages_min=low,
        pages_max=high,
        sort=params.sort,
    )
    page = listing_page(
        BoundedPaginator(queryset, PER_PAGE),
        query.get("page"),
        link=lambda number: params.link(page=str(number)),
    )
    return {
        "page": page,
        "params": params,
        "query_string": params.query_string(),
        "format_links": [("", gettext_noop("全部格式"), params.link(format=""))]
        + [
            (group.key, group.label, params.link(format=group.key))
            for group in registry.GROUPS
        ],
        "page_links": [("", gettext_noop("不限页数"), params.link(pages=""))]
        + [
            (key, label, params.link(pages=key))
            for key, label in PAGE_RANGE_LABELS.items()
        ],
        "sort_links": [
            (key, label, params.link(sort=key)) for key, label in SORTS.items()
        ],
    }
