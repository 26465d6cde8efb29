"""SQLite FTS5 backend: one virtual table keyed by document id, ranked by bm25().

SQL text is assembled only from module constants and ``filter_sql`` fragments;
every value travels as a parameter (hence the ``noqa: S608`` marks).
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from wenku.search.backends.base import (
    HEAD,
    Backend,
    Filters,
    IndexEntry,
    filter_sql,
    order_sql,
    shared_clusters_sql,
)

# The table is created by migrations/0002_fulltext_index.py.
TABLE = "search_fts"
# bm25() column weights: title, tags (and keywords), description, body.
RANK = f"bm25({TABLE}, 10.0, 4.0, 2.0, 1.0)"


def _phrase(word: str) -> str:
    # Every token becomes a quoted FTS5 string, so no query text is ever syntax.
    return '"' + word.replace('"', '""') + '"'


def match_expression(words: list[str], tier: str = "all", joiner: str = " AND ") -> str:
    expression = joiner.join(_phrase(word) for word in words)
    return f"{{title tags}} : ({expression})" if tier == HEAD else expression


class SqliteBackend(Backend):
    # bm25() reads every candidate's position lists: rank at most this many of the
    # newest matches per tier (exact below it).
    CANDIDATE_LIMIT = 300

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

    def __init__(self) -> None:
        self._counts: dict[tuple[tuple[str, ...], str], int] = {}

    def match_count(self, words: list[str], tier: str) -> int:
        known = self._counts.get((tuple(words), tier))
        if known is not None:  # id_floor saw every match
            return known
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM {TABLE} WHERE {TABLE} MATCH %s",  # noqa: S608
                [match_expression(words, tier)],
            )
            return cursor.fetchone()[0]

    def id_floor(self, words: list[str], tier: str, depth: int) -> int | None:
        # FTS5 walks a doclist in rowid order without ranking: cheap at any size.
        # Reading the ids (not just the depth-th) costs little more and, when there
        # are fewer than depth, gives the exact count for free.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s "  # noqa: S608
                "ORDER BY rowid DESC LIMIT %s",
                [match_expression(words, tier), depth],
            )
            rows = cursor.fetchall()
        if len(rows) < depth:
            self._counts[tuple(words), tier] = len(rows)
            return None
        return rows[-1][0]

    def rank(
        self,
        words: list[str],
        *,
        tier: str,
        filters: Filters,
        sort: str,
        limit: int,
        min_id: int | None,
    ) -> list[tuple[int, float]]:
        where, params = filter_sql(filters)
        bound = "AND f.rowid >= %s " if min_id is not None else ""
        # bm25() is negative, lower is better; ranking and LIMIT stay inside SQLite.
        sql = (
            f"SELECT f.rowid, {RANK} AS rank FROM {TABLE} f "  # noqa: S608
            "JOIN documents_document d ON d.id = f.rowid "
            f"WHERE {TABLE} MATCH %s {bound}AND {where} "
            f"ORDER BY {order_sql(sort, 'rank ASC')} LIMIT %s"
        )
        values: list[Any] = [match_expression(words, tier)]
        if min_id is not None:
            values.append(min_id)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*values, *params, limit])
            return [(row[0], -row[1]) for row in cursor.fetchall()]

    def filtered_count(self, words: list[str], filters: Filters, cap: int) -> int:
        where, params = filter_sql(filters)
        sql = (
            f"SELECT count(*) FROM (SELECT 1 FROM {TABLE} f "  # noqa: S608
            "JOIN documents_document d ON d.id = f.rowid "
            f"WHERE {TABLE} MATCH %s AND {where} LIMIT %s)"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [match_expression(words), *params, cap])
            return cursor.fetchone()[0]

    def cluster_surplus(self, words: list[str], *, filters: Filters) -> int:
        where, params = filter_sql(filters)
        shared, shared_params = shared_clusters_sql()
        # Driven from the few clustered documents: FTS5 tests each by rowid.
        sql = (
            "SELECT count(*) - count(DISTINCT d.cluster_id) "  # noqa: S608
            f"FROM documents_document d WHERE d.cluster_id IN ({shared}) "
            f"AND {where} AND EXISTS (SELECT 1 FROM {TABLE} f "
            f"WHERE {TABLE} MATCH %s AND f.rowid = d.id)"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*shared_params, *params, match_expression(words)])
            return cursor.fetchone()[0]

    def any_of(
        self, words: list[str], *, limit: int, exclude_id: int
    ) -> list[tuple[int, float]]:
        where, params = filter_sql(Filters())
        sql = (
            f"SELECT f.rowid, {RANK} AS rank FROM {TABLE} f "  # noqa: S608
            "JOIN documents_document d ON d.id = f.rowid "
            f"WHERE {TABLE} MATCH %s AND f.rowid <> %s AND {where} "
            "ORDER BY rank LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                sql,
                [match_expression(words, joiner=" OR "), exclude_id, *params, limit],
            )
            return [(row[0], -row[1]) for row in cursor.fetchall()]

    def title_prefix(self, words: list[str], *, limit: int) -> list[int]:
        *whole, last = words
        expression = " AND ".join([*map(_phrase, whole), _phrase(last) + "*"])
        where, params = filter_sql(Filters())
        sql = (
            f"SELECT f.rowid FROM {TABLE} f "  # noqa: S608
            "JOIN documents_document d ON d.id = f.rowid "
            f"WHERE {TABLE} MATCH %s AND {where} "
            f"ORDER BY {RANK} LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [f"title : ({expression})", *params, limit])
            return [row[0] for row in cursor.fetchall()]
