"""PostgreSQL backend: a tsvector per document (weights A–D) under a GIN index.

Text arrives already segmented, so the ``simple`` configuration (lower-casing, no
stemming, no stopwords) sees exactly the tokens that SQLite's FTS5 sees.

SQL text is assembled only from module constants and ``filter_sql`` fragments;
every value travels as a parameter (hence the ``noqa: S608`` marks).
"""

from __future__ import annotations

from django.db import connection

from wenku.search.backends.base import Filters, IndexEntry, filter_sql, order_sql

TABLE = "search_entry"
# The table and its GIN index are created by migrations/0002_fulltext_index.py.
VECTOR_SQL = (
    "setweight(to_tsvector('simple', %s), 'A') || "
    "setweight(to_tsvector('simple', %s), 'B') || "
    "setweight(to_tsvector('simple', %s), 'C') || "
    "setweight(to_tsvector('simple', %s), 'D')"
)
# ts_rank_cd normalisation 1: divide by 1 + log(document length), like BM25's
# length normalisation, so long bodies do not win on repetition alone.
RANK_SQL = "ts_rank_cd(e.vector, q, 1)"


def _lexeme(word: str) -> str:
    return "'" + word.replace("'", "''").replace("\\", "\\\\") + "'"


class PostgresBackend:
    def upsert(self, document_id: int, entry: IndexEntry) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {TABLE} (document_id, vector) VALUES (%s, {VECTOR_SQL}) "  # noqa: S608
                "ON CONFLICT (document_id) DO UPDATE SET vector = EXCLUDED.vector",
                [document_id, entry.title, entry.tags, entry.description, entry.body],
            )

    def delete(self, document_id: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE document_id = %s", [document_id])  # noqa: S608

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
        sql = (
            f"SELECT e.document_id, {RANK_SQL} AS score "  # noqa: S608
            f"FROM plainto_tsquery('simple', %s) q, {TABLE} e "
            "JOIN documents_document d ON d.id = e.document_id "
            f"WHERE e.vector @@ q AND {where} "
            f"ORDER BY {order_sql(sort, 'score DESC')} LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [" ".join(words), *params, limit, offset])
            return [(row[0], float(row[1])) for row in cursor.fetchall()]

    def count(self, words: list[str], *, filters: Filters) -> int:
        where, params = filter_sql(filters)
        sql = (
            f"SELECT count(*) FROM plainto_tsquery('simple', %s) q, {TABLE} e "  # noqa: S608
            "JOIN documents_document d ON d.id = e.document_id "
            f"WHERE e.vector @@ q AND {where}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [" ".join(words), *params])
            return cursor.fetchone()[0]

    def any_of(
        self, words: list[str], *, limit: int, exclude_id: int
    ) -> list[tuple[int, float]]:
        where, params = filter_sql(Filters())
        query = " | ".join(_lexeme(word) for word in words)
        sql = (
            f"SELECT e.document_id, {RANK_SQL} AS score "  # noqa: S608
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
            f"SELECT e.document_id FROM to_tsquery('simple', %s) q, {TABLE} e "  # noqa: S608
            "JOIN documents_document d ON d.id = e.document_id "
            f"WHERE e.vector @@ q AND {where} "
            f"ORDER BY {RANK_SQL} DESC LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [query, *params, limit])
            return [row[0] for row in cursor.fetchall()]
