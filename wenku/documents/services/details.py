"""The rules for a document's details, shared by upload and edit, and the one error a
document write raises when it refuses its input.

Forms and API endpoints only parse (text to int, a category id or slug to a Category)
and pass what they got; every limit below is checked here, so the web form and the
JSON API refuse the same input with the same message.
"""

from __future__ import annotations

from dataclasses import dataclass

from wenku.core.models import Category
from wenku.wallet.selectors import price_bounds

TITLE_MAX = 200
TAGS_MAX = 200
DESCRIPTION_MAX = 2000
FREE_PAGES_MAX = 1000


@dataclass(frozen=True)
class DocumentRejected(Exception):
    """A document write refused with a reason a person can act on ("中文 / English").

    ``field`` names the service argument the reason is about, so a form can show it
    next to its input; None when it is about the file or the document itself.
    """

    code: str
    message: str
    field: str | None = None

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class DocumentDetails:
    """Details that passed the rules: text stripped, tags normalised."""

    title: str  # "" when none was given
    description: str
    tags: str
    category: Category | None
    price: int
    free_pages: int


def tags_normalise(raw: str) -> str:
    """Comma-separated tags (full-width commas too), each trimmed, without repeats."""
    tags = [tag.strip() for tag in raw.replace("，", ",").split(",") if tag.strip()]
    return ",".join(dict.fromkeys(tags))


def _text(
    value: str | None, *, field: str, label: tuple[str, str], limit: int | None
) -> str:
    """Stripped text; NUL is refused (PostgreSQL cannot store it), so is overlength."""
    text = (value or "").strip()
    if "\x00" in text:
        raise DocumentRejected(
            "nul_character",
            f"{label[0]}不能包含空字符 / The {label[1]} must not contain NUL characters",
            field=field,
        )
    if limit is not None and len(text) > limit:
        raise DocumentRejected(
            f"{field}_too_long",
            f"{label[0]}不能超过 {limit} 个字符 / The {label[1]} must be at most "
            f"{limit} characters",
            field=field,
        )
    return text


def details_check(
    *,
    title: str | None,
    description: str,
    tags: str,
    category: Category | None,
    price: int,
    free_pages: int,
) -> DocumentDetails:
    """The details if they pass every rule, else DocumentRejected naming the field."""
    clean_title = _text(title, field="title", label=("标题", "title"), limit=TITLE_MAX)
    clean_description = _text(
        description,
        field="description",
        label=("描述", "description"),
        limit=DESCRIPTION_MAX,
    )
    clean_tags = tags_normalise(
        _text(tags, field="tags", label=("标签", "tags"), limit=None)
    )
    if len(clean_tags) > TAGS_MAX:
        raise DocumentRejected(
            "tags_too_long",
            f"标签合计不能超过 {TAGS_MAX} 个字符 / Tags must be at most {TAGS_MAX} "
            "characters in all",
            field="tags",
        )
    bounds = price_bounds()
    # bool is an int subclass: True is not a price.
    if type(price) is not int or not bounds.allows(price):
        low, high = max(bounds.minimum, 1), bounds.maximum
        raise DocumentRejected(
            "bad_price",
            f"价格须为 0（免费）或 {low}–{high} 积分 / The price must be 0 (free) "
            f"or {low}–{high} points",
            field="price",
        )
    if type(free_pages) is not int or not 1 <= free_pages <= FREE_PAGES_MAX:
        raise DocumentRejected(
            "bad_free_pages",
            f"免费预览页数须为 1–{FREE_PAGES_MAX} 页 / Free preview pages must be "
            f"1–{FREE_PAGES_MAX}",
            field="free_pages",
        )
    return DocumentDetails(
        title=clean_title,
        description=clean_description,
        tags=clean_tags,
        category=category,
        price=price,
        free_pages=free_pages,
    )
