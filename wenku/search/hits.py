"""Loading a page of hits: published documents with their category, in one query.

Search ranks ids; this turns them into what the result page shows. One round trip
fetches, for the published ids only, the Document columns a result shows (never
``text``, which can be megabytes) and the category (for its name). The PostgreSQL
backend checks publication through ``HitLoader.published`` as it walks its
candidates, so the documents it keeps are already loaded when the page is built.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Field, Model
from django.db.models.base import ModelState

from wenku.core.models import Category
from wenku.documents.access import public_sql
from wenku.documents.models import Document

# Category columns, each named as its attribute.
_CATEGORY_FIELDS = ("id", "parent_id", "name", "slug", "position", "description")


# What a result page and the search API read; the rest (the extracted text, file
# paths, conversion progress, timestamps other than publication) stays deferred.
DOCUMENT_FIELDS = (
    "id",
    "number",
    "title",
    "description",
    "tags",
    "category_id",
    "uploader_id",
    "file_type",
    "size",
    "price",
    "free_pages",
    "status",
    "page_count",
    "rendered_pages",
    "keywords",
    "views",
    "downloads",
    "rating_sum",
    "rating_count",
    "published_at",
    "cluster_id",
)


@functools.cache
def _select_sql() -> str:
    """The query for published documents by id; ``{marks}`` takes the id list."""
    quote = connection.ops.quote_name
    public, _ = public_sql("d")
    columns = ", ".join(
        [f"d.{quote(str(field.column))}" for field in _document_fields()]
        + [f"c.{quote(name)}" for name in _CATEGORY_FIELDS]
    )
    return (
        f"SELECT {columns} FROM {Document._meta.db_table} d "  # noqa: S608
        f"LEFT JOIN {Category._meta.db_table} c ON c.id = d.category_id "
        f"WHERE d.id IN ({{marks}}) AND {public}"
    )


@functools.cache
def _document_fields() -> list[Field[Any, Any]]:
    fields = [Document._meta.get_field(name) for name in DOCUMENT_FIELDS]
    return [field for field in fields if isinstance(field, Field)]


@functools.cache
def _converters() -> list[tuple[int, list[Any], Any]]:
    """(column index, converters, expression) of each document column needing one:
    what the ORM applies to values as it reads them (JSON text, SQLite dates)."""
    found = []
    for index, field in enumerate(_document_fields()):
        expression = field.get_col(Document._meta.db_table)
        converters = connection.ops.get_db_converters(
            expression
        ) + field.get_db_converters(connection)
        if converters:
            found.append((index, converters, expression))
    return found


def _model(model: type[Model], attnames: Iterable[str], values: Iterable[Any]) -> Any:
    """An instance as the ORM loads one from the database, fields not read deferred.

    What ``Model.from_db`` does, without running ``__init__`` over every field of
    the model (most of the cost of loading a result page's documents): a field whose
    attribute is absent from the instance dict is deferred, and reading it loads it.
    """
    instance = model.__new__(model)
    instance.__dict__.update(zip(attnames, values, strict=True))
    instance._state = ModelState()
    instance._state.adding = False
    instance._state.db = connection.alias
    return instance


class HitLoader:
    """Loads published documents by id, once each, keeping what it loaded."""

    def __init__(self) -> None:
        self.documents: dict[int, Document] = {}
        self._checked: set[int] = set()

    def published(self, ids: Iterable[int]) -> set[int]:
        """Which of these ids are published documents (loading those not seen yet)."""
        ids = list(ids)
        missing = list(dict.fromkeys(pk for pk in ids if pk not in self._checked))
        if missing:
            self._load(missing)
        return {pk for pk in ids if pk in self.documents}

    def _load(self, ids: list[int]) -> None:
        self._checked.update(ids)
        sql = _select_sql().format(marks=", ".join(["%s"] * len(ids)))
        _, public_params = public_sql("d")
        with connection.cursor() as cursor:
            cursor.execute(sql, [*ids, *public_params])
            rows = cursor.fetchall()
        attnames = [field.attname for field in _document_fields()]
        converters = _converters()
        category_field = Document._meta.get_field("category")
        width = len(attnames)
        for row in rows:
            values = list(row[:width])
            for index, functions, expression in converters:
                for function in functions:
                    values[index] = function(values[index], expression, connection)
            document = _model(Document, attnames, values)
            category = row[width:]
            category_field.set_cached_value(  # type: ignore[union-attr]
                document,
                None
                if category[0] is None
                else _model(Category, _CATEGORY_FIELDS, category),
            )
            self.documents[document.pk] = document
