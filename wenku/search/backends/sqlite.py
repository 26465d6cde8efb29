"""SQLite FTS5 backend: one virtual table keyed by document id, ranked by bm25().

SQL text is assembled only from module constants and ``filter_sql`` fragments;
every value travels as a parameter (hence the ``noqa: S608`` marks).
"""

from __future__ import annotations

from django.db import connection

from wenku.search.backends.base import Filters, IndexEntry, filter_sql, order_sql

TABLE = "search_fts"
# bm25() column weights: title, tags (and keywords), description, body.
WEIGHTS = "10.0, 4.0, 2.0, 1.0"
# The table is created by migrations/0002_fulltext_index.py.


def _phrase(word: str) -> str:
    # Every token becomes a quoted FTS5 string, so no query text is ever syntax.
    return '"' + word.replace('"', '""') + '"'


def match_all(words: list[str]) -> str:
    return " AND ".join(_phrase(word) for word in words)


def match_any(words: list[str]) -> str:
    return " OR ".join(_phrase(word) for word in words)


class SqliteBackend:
    def upsert(self, document_id: int, entry: IndexEntry) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid = %s", [document_id])  # noqa: S608
            cursor.execute(
                f"INSERT INTO {TABLE} (rowid, title, tags, description, body) "  # noqa: S608
                "VALUES (%s, %s, %s, %s, %s)",
                [document_id, entry.title, entry.tags, entry.description, entry.body],
            )

    def delete(self, document_id: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid = %s", [document_id])  # noqa: S608

    def search(
        self,
        words: list[str],
        *,
        filters: Filters,
        sort: str,
        limit: int,
        offset: int,
    ) -> list[tuple[int, float]]:
        where, params = filter_sql(filters)
        # bm25() is negative, lower is better; ranking and LIMIT stay inside SQLite.
        sql = (
            f"SELECT f.rowid, bm25({TABLE}, {WEIGHTS}) AS rank FROM {TABLE} f "  # noqa: S608
            "JOIN documents_document d ON d.id = f.rowid "
            f"WHERE {TABLE} MATCH %s AND {where} "
            f"ORDER BY {order_sql(sort, 'rank ASC')} LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [match_all(words), *params, limit, offset])
            return [(row[0], -row[1]) for row in cursor.fetchall()]

    def count(self, words: list[str], *, filters: Filters) -> int:
        where, params = filter_sql(filters)
        sql = (
            f"SELECT count(*) FROM {TABLE} f "  # noqa: S608
            "JOIN documents_document d ON d.id = f.rowid "
            f"WHERE {TABLE} MATCH %s AND {where}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [match_all(words), *params])
            return cursor.fetchone()[0]

    def any_of(
        self, words: list[str], *, limit: int, exclude_id: int
    ) -> list[tuple[int, float]]:
        where, params = filter_sql(Filters())
        sql = (
            f"SELECT f.rowid, bm25({TABLE}, {WEIGHTS}) AS rank FROM {TABLE} f "  # noqa: S608
            "JOIN documents_document d ON d.id = f.rowid "
            f"WHERE {TABLE} MATCH %s AND f.rowid <> %s AND {where} "
            "ORDER BY rank LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [match_any(words), exclude_id, *params, limit])
            return [(row[0], -row[1]) for row in cursor.fetchall()]

    def title_prefix(self, words: list[str], *, limit: int) -> list[int]:
        *whole, last = words
        expression = " AND ".join([*map(_phrase, whole), _phrase(last) + "*"])
        where, params = filter_sql(Filters())
        sql = (
            f"SELECT f.rowid FROM {TABLE} f "  # noqa: S608
            "JOIN documents_document d ON d.id = f.rowid "
            f"WHERE {TABLE} MATCH %s AND {where} "
            f"ORDER BY bm25({TABLE}, {WEIGHTS}) LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [f"title : ({expression})", *params, limit])
            return [row[0] for row in cursor.fetchall()]
