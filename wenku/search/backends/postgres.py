"""PostgreSQL backend: tsvectors (weights A–D) under GIN indexes.

Text arrives already segmented, so the ``simple`` configuration (lower-casing, no
stemming, no stopwords) sees exactly the tokens that SQLite's FTS5 sees. Each entry
holds ``head`` (title A, tags B) and ``vector`` (head plus description C and body D).

SQL text is assembled only from module constants and ``filter_sql`` and ``public_sql``
fragments; every value travels as a parameter (hence the ``noqa: S608`` marks).
"""

from __future__ import annotations

import json
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.db import connection

from wenku.documents.access import public_sql
from wenku.search.backends.base import (
    ALL,
    HEAD,
    Backend,
    Filters,
    IndexEntry,
    filter_sql,
    order_sql,
    shared_clusters_sql,
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


def _rank_function(tier: str) -> str:
    # Cover density (how close together the words are) on the small title/tag
    # vector; plain ts_rank on body vectors, which still weighs how near the query
    # words are to each other at about half the cost a row (each body vector is
    # fetched from TOAST, and cover density walks every position).
    return "ts_rank_cd" if tier == HEAD else "ts_rank"


def _rank(tier: str) -> str:
    # Normalisation 1 divides by 1 + log(length), like BM25's length normalisation.
    return f"{_rank_function(tier)}({_column(tier)}, q, 1)"


# Newest matches of one tier with their score, read from the index table alone
# (no join: ``_keep_published`` checks the few rows a page needs); vectors are read only
# for the rows returned. Two plans, picked from the planner's own estimate:
# * dense (a large share of all entries match): walk the primary key backwards and
#   stop after LIMIT matches;
# * sparse: "+ 0" forbids that walk, so the GIN bitmap is used. Left alone, the
#   planner walks the key for sparse matches too (it assumes matches are spread
#   evenly and that testing a row is free, but each test detoasts a vector).
CANDIDATES_SQL = {
    (tier, dense): (
        # The newest LIMIT matches (their number is the exact count when smaller),
        # scored only for the first N of them (N, the first parameter, is the tier's
        # candidate limit).
        "SELECT c.document_id, CASE WHEN c.n <= %s "  # noqa: S608
        f"THEN {_rank_function(tier)}(c.v, c.q, 1) END FROM ("
        f"SELECT e.document_id, {_column(tier)} AS v, q, row_number() OVER "
        f"(ORDER BY e.document_id{'' if dense else ' + 0'} DESC) AS n "
        f"FROM plainto_tsquery('simple', %s) q, {TABLE} e WHERE {_column(tier)} @@ q "
        f"ORDER BY e.document_id{'' if dense else ' + 0'} DESC LIMIT %s) c"
    )
    for tier in (HEAD, ALL)
    for dense in (True, False)
}
# The planner's estimated head and body matches of each word, and the number of
# entries: one planning round trip for all the words not cached yet.
ESTIMATE_PART_SQL = (
    f"SELECT 1 FROM {TABLE} e WHERE e.head @@ plainto_tsquery('simple', %s) "  # noqa: S608
    f"UNION ALL SELECT 1 FROM {TABLE} e WHERE e.vector @@ plainto_tsquery('simple', %s)"
)
ESTIMATE_TOTAL_SQL = f"SELECT 1 FROM {TABLE}"  # noqa: S608
# Per-word estimates are kept per process (a word's share of entries moves slowly;
# they only choose a plan and the total shown above ESTIMATE_ABOVE). The planner
# treats the words of an AND query as independent: the product of their shares.
ESTIMATE_CACHE_SIZE = 4096
ESTIMATE_TTL = 600.0
_word_estimates: OrderedDict[str, tuple[float, float, int, float]] = OrderedDict()
DENSE_SHARE = 0.1
CAPPED_COUNT_SQL = (
    "SELECT count(*) FROM (SELECT 1 "  # noqa: S608
    f"FROM plainto_tsquery('simple', %s) q, {TABLE} e "
    "WHERE e.vector @@ q LIMIT %s) AS capped"
)
# Totals: exact up to COUNT_EXACT_UP_TO (enough for every result page: pages stop
# at 50), otherwise the planner's estimate; an exact count would read a GIN posting
# list and a heap row per match (tens of milliseconds for a common word). Above
# ESTIMATE_ABOVE estimated matches not even the capped count runs.
COUNT_EXACT_UP_TO = 1000
ESTIMATE_ABOVE = 5000


def _lexeme(word: str) -> str:
    return "'" + word.replace("'", "''").replace("\\", "\\\\") + "'"


class PostgresBackend(Backend):
    # Rank at most this many of the newest matches per tier: title/tag vectors are
    # small and stored inline; each body vector is a TOAST fetch (about 8 µs a row
    # with ts_rank, most of a search's database time), so fewer of those.
    CANDIDATE_LIMIT = 300
    BODY_CANDIDATE_LIMIT = 100

    def __init__(self) -> None:
        self._totals: dict[tuple[str, ...], int] = {}
        self._estimates: dict[tuple[str, ...], dict[str, tuple[int, int]]] = {}

    # --- the common case: relevance, no filters ---------------------------
    def search(
        self,
        words: list[str],
        *,
        filters: Filters,
        sort: str,
        limit: int,
        offset: int,
        published: Callable[[list[int]], set[int]] | None = None,
    ) -> list[tuple[int, float]]:
        """Title/tag matches first (ranked on the small head vector), then the rest.

        Candidates are the newest ``CANDIDATE_LIMIT`` title/tag matches and
        ``BODY_CANDIDATE_LIMIT`` matches anywhere, fetched from the index table
        without a join; body vectors are read only when the
        title/tag tier cannot fill the page. The best candidates are then checked
        for publication, through ``published`` when given (the caller loads those
        documents anyway). Filtered and sorted searches use the shared strategy
        (they need the documents table anyway).
        """
        if sort != "relevance" or not filters.empty:
            return super().search(
                words, filters=filters, sort=sort, limit=limit, offset=offset
            )
        check = published or _published_ids
        wanted = offset + limit
        # A title/tag tier estimated too small to fill the page: both in one trip.
        both = self._estimate(words, HEAD)[0] < wanted
        fetched = self._candidates(words, (HEAD, ALL) if both else (HEAD,))
        head = fetched[HEAD]
        order = _best_first(head)
        body_read = False
        if len(order) < wanted:  # decided before checking status: one check, usually
            order += self._body(words, head, fetched)
            body_read = True
        ranked = _keep_published(order, wanted, check)
        if len(ranked) < wanted and not body_read:  # unpublished head rows dropped
            body = self._body(words, head, fetched)
            ranked += _keep_published(body, wanted - len(ranked), check)
        return ranked[offset:wanted]

    def _body(
        self,
        words: list[str],
        head: list[tuple[int, float]],
        fetched: dict[str, list[tuple[int, float]]],
    ) -> list[tuple[int, float]]:
        """Body-tier candidates not already among the head ones, best first."""
        body = fetched[ALL] if ALL in fetched else self._candidates(words, (ALL,))[ALL]
        seen = {pk for pk, _ in head}
        return _best_first([row for row in body if row[0] not in seen])

    def count(self, words: list[str], *, filters: Filters) -> int:
        if not filters.empty:
            return super().count(words, filters=filters)
        known = self._totals.get(tuple(words))
        if known is not None:
            return known
        estimate, _ = self._estimate(words, ALL)
        if estimate > ESTIMATE_ABOVE:
            return estimate
        with connection.cursor() as cursor:
            cursor.execute(CAPPED_COUNT_SQL, [" ".join(words), COUNT_EXACT_UP_TO + 1])
            exact = cursor.fetchone()[0]
        return exact if exact <= COUNT_EXACT_UP_TO else max(exact, estimate)

    def _estimate(self, words: list[str], tier: str) -> tuple[int, int]:
        """The planner's estimate of (matching entries, all entries)."""
        key = tuple(words)
        if key not in self._estimates:
            now = time.monotonic()
            known: dict[str, tuple[float, float, int, float]] = {}
            for word in dict.fromkeys(words):
                cached = _word_estimates.get(word)
                if cached is not None and now - cached[3] < ESTIMATE_TTL:
                    _word_estimates.move_to_end(word)
                    known[word] = cached
            missing = [word for word in dict.fromkeys(words) if word not in known]
            if missing:
                known.update(_plan_estimates(missing, now))
            entries = max((value[2] for value in known.values()), default=1)
            head = body = float(entries)
            for word in known:
                head *= known[word][0]
                body *= known[word][1]
            self._estimates[key] = {
                HEAD: (round(head), entries),
                ALL: (round(body), entries),
            }
        return self._estimates[key][tier]

    def _candidates(
        self, words: list[str], tiers: tuple[str, ...]
    ) -> dict[str, list[tuple[int, float]]]:
        """The newest scored candidates of each tier (``CANDIDATE_LIMIT`` title/tag,
        ``BODY_CANDIDATE_LIMIT`` body), in one round trip; the exact number of
        matches is kept when the body-tier query saw them all."""
        text = " ".join(words)
        parts: list[str] = []
        params: list[Any] = []
        limits: dict[int, int] = {}
        for n, tier in enumerate(tiers):
            matches, entries = self._estimate(words, tier)
            dense = matches > DENSE_SHARE * entries
            scored = self.CANDIDATE_LIMIT if tier == HEAD else self.BODY_CANDIDATE_LIMIT
            # Dense: the count will be an estimate anyway, so stop at the candidates.
            limits[n] = (scored if dense else COUNT_EXACT_UP_TO) + 1
            parts.append(
                f"SELECT {n}, t{n}.* FROM ({CANDIDATES_SQL[tier, dense]}) t{n}"  # noqa: S608
            )
            params += [scored, text, limits[n]]
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            rows = cursor.fetchall()
        found: dict[str, list[tuple[int, float]]] = {}
        for n, tier in enumerate(tiers):
            mine = [row for row in rows if row[0] == n]
            if tier == ALL and len(mine) < limits[n]:  # the exact count came too
                self._totals[tuple(words)] = len(mine)
            # Rows past the tier's candidate limit are counted, not scored.
            found[tier] = [
                (row[1], float(row[2])) for row in mine if row[2] is not None
            ]
        return found

    # --- primitives -------------------------------------------------------
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

    def cluster_surplus(self, words: list[str], *, filters: Filters) -> int:
        where, params = filter_sql(filters)
        shared, shared_params = shared_clusters_sql()
        sql = (
            "SELECT count(*) - count(DISTINCT d.cluster_id) "  # noqa: S608
            f"FROM plainto_tsquery('simple', %s) q, documents_document d "
            f"JOIN {TABLE} e ON e.document_id = d.id "
            f"WHERE d.cluster_id IN ({shared}) AND {where} AND e.vector @@ q"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [" ".join(words), *shared_params, *params])
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


def _keep_published(
    rows: list[tuple[int, float]],
    wanted: int,
    published: Callable[[list[int]], set[int]],
) -> list[tuple[int, float]]:
    """The first ``wanted`` rows whose document is published, in order.

    Checked a chunk at a time, each a little larger than what is still missing
    (unpublished candidates are rare: a takedown or deletion since indexing).
    """
    kept: list[tuple[int, float]] = []
    start = 0
    while len(kept) < wanted and start < len(rows):
        need = wanted - len(kept)
        chunk = rows[start : start + need + max(4, need // 4)]
        start += len(chunk)
        found = published([pk for pk, _ in chunk])
        kept += [row for row in chunk if row[0] in found]
    return kept[:wanted]


def _published_ids(ids: list[int]) -> set[int]:
    public, params = public_sql("d")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT d.id FROM documents_document d WHERE d.id = ANY(%s) AND {public}",  # noqa: S608
            [ids, *params],
        )
        return {row[0] for row in cursor.fetchall()}


def _best_first(rows: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """Highest score first, newest first among equal scores (as ``order_sql``)."""
    return sorted(rows, key=lambda row: (-row[1], -row[0]))


def _plan_estimates(
    words: list[str], now: float
) -> dict[str, tuple[float, float, int, float]]:
    """(head share, body share, entries, time) of each word, from one EXPLAIN."""
    sql = "EXPLAIN (FORMAT JSON) " + " UNION ALL ".join(
        [ESTIMATE_PART_SQL] * len(words) + [ESTIMATE_TOTAL_SQL]
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [word for word in words for _ in range(2)])
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    rows = [int(part["Plan Rows"]) for part in plan[0]["Plan"].get("Plans", [])]
    if len(rows) != 2 * len(words) + 1:  # unexpected plan shape: assume rare words
        rows = [0] * (2 * len(words)) + [1]
    entries = max(rows[-1], 1)
    found = {}
    for n, word in enumerate(words):
        share = (min(rows[2 * n] / entries, 1.0), min(rows[2 * n + 1] / entries, 1.0))
        found[word] = _word_estimates[word] = (*share, entries, now)
        _word_estimates.move_to_end(word)
    while len(_word_estimates) > ESTIMATE_CACHE_SIZE:
        _word_estimates.popitem(last=False)
    return found
