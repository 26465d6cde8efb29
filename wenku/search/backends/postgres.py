"""PostgreSQL backend: tsvectors (weights A–D) under GIN indexes.

Text arrives already segmented, so the ``simple`` configuration (lower-casing, no
stemming, no stopwords) sees exactly the tokens that SQLite's FTS5 sees. Each entry
holds ``head`` (title A, tags B) and ``vector`` (head plus description C and body D).

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
)

# The table and its GIN indexes come from migrations 0002 and 0003.
TABLE = "search_entry"
UPSERT_SQL = (
    f"INSERT INTO {TABLE} (document_id, head, vector) "  # noqa: S608
    "SELECT %s, h.head, h.head || setweight(to_tsvector('simple', %s), 'C') "
    "|| setweight(to_tsvector('simple', %s), 'D') "
    "FROM (SELECT setweight(to_tsvector('simple', %s), 'A') "
    "|| setweight(to_tsvector('simple', %s), 'B') AS head) h "
    "ON CONFLICT (document_id) DO UPDATE "
    "SET head = EXCLUDED.head, vector = EXCLUDED.vector"
)


def _column(tier: str) -> str:
    return "e.head" if tier == HEAD else "e.vector"


def _rank(tier: str) -> str:
    # Normalisation 1 divides by 1 + log(length), like BM25's length normalisation.
    return f"ts_rank_cd({_column(tier)}, q, 1)"


def _lexeme(word: str) -> str:
    return "'" + word.replace("'", "''").replace("\\", "\\\\") + "'"


class PostgresBackend(Backend):
    # ts_rank_cd reads each candidate's whole vector from TOAST: keep the set small.
    CANDIDATE_LIMIT = 1000

    def upsert(self, document_id: int, entry: IndexEntry) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                UPSERT_SQL,
                [document_id, entry.description, entry.body, entry.title, entry.tags],
            )

    def delete(self, document_id: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE document_id = %s", [document_id])  # noqa: S608

    def match_count(self, words: list[str], tier: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM plainto_tsquery('simple', %s) q, {TABLE} e "  # noqa: S608
                f"WHERE {_column(tier)} @@ q",
                [" ".join(words)],
            )
            return cursor.fetchone()[0]

    def id_floor(self, words: list[str], tier: str, depth: int) -> int | None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT e.document_id FROM plainto_tsquery('simple', %s) q, {TABLE} e "  # noqa: S608
                f"WHERE {_column(tier)} @@ q "
                "ORDER BY e.document_id DESC LIMIT 1 OFFSET %s",
                [" ".join(words), depth - 1],
            )
            row = cursor.fetchone()
        return row[0] if row else None

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
        bound = "AND e.document_id >= %s " if min_id is not None else ""
        sql = (
            f"SELECT e.document_id, {_rank(tier)} AS score "  # noqa: S608
            f"FROM plainto_tsquery('simple', %s) q, {TABLE} e "
            "JOIN documents_document d ON d.id = e.document_id "
            f"WHERE {_column(tier)} @@ q {bound}AND {where} "
            f"ORDER BY {order_sql(sort, 'score DESC')} LIMIT %s"
        )
        values: list[Any] = [" ".join(words)]
        if min_id is not None:
            values.append(min_id)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*values, *params, limit])
            return [(row[0], float(row[1])) for row in cursor.fetchall()]

    def filtered_count(self, words: list[str], filters: Filters, cap: int) -> int:
        where, params = filter_sql(filters)
        sql = (
            "SELECT count(*) FROM (SELECT 1 "  # noqa: S608
            f"FROM plainto_tsquery('simple', %s) q, {TABLE} e "
            "JOIN documents_document d ON d.id = e.document_id "
            f"WHERE e.vector @@ q AND {where} LIMIT %s) AS capped"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [" ".join(words), *params, cap])
            return cursor.fetchone()[0]

    def any_of(
        self, words: list[str], *, limit: int, exclude_id: int
    ) -> list[tuple[int, float]]:
        where, params = filter_sql(Filters())
        query = " | ".join(_lexeme(word) for word in words)
        sql = (
            "SELECT e.document_id, ts_rank_cd(e.vector, q, 1) AS score "  # noqa: S608
            f"FROM to_tsquery('simple', %s) q, {TABLE} e "
            "JOIN documents_document d ON d.id = e.document_id "
            f"WHERE e.vector @@ q AND e.document_id <> %s AND {where} "
            "ORDER BY score DESC LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [query, exclude_id, *params, limit])
            return [(row[0], float(row[1])) for row in cursor.fetchall()]

    def title_prefix(self, words: list[str], *, limit: int) -> list[int]:
        *whole, last = words
        # Weight label A restricts a lexeme to the title.
        query = " & ".join(
            [*(f"{_lexeme(word)}:A" for word in whole), f"{_lexeme(last)}:*A"]
        )
        where, params = filter_sql(Filters())
        sql = (
            "SELECT e.document_id "  # noqa: S608
            f"FROM to_tsquery('simple', %s) q, {TABLE} e "
            "JOIN documents_document d ON d.id = e.document_id "
            f"WHERE e.head @@ q AND {where} "
            "ORDER BY ts_rank_cd(e.head, q, 1) DESC LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [query, *params, limit])
            return [row[0] for row in cursor.fetchall()]
