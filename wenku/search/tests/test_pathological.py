"""Empty and hostile queries give an answer, never an error (both backends)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wenku.search import public as search

ANON = AnonymousUser()

NASTY = [
    "",
    "   ",
    "，。！？、；：“”（）",
    "教育" * 5000,
    "a" * 10_000,
    '"',
    '"教育',
    "*",
    "教育*",
    "( )",
    "(教育",
    "NEAR",
    "NEAR(教育 会议)",
    "教育 AND",
    "OR 教育",
    "NOT",
    "title:教育",
    "body : 会议",
    "^教育",
    "-教育",
    "教育 - 会议",
    "!",
    "& | ! <->",
    "'; DROP TABLE documents_document; --",
    "1' OR '1'='1",
    "%",
    "%%",
    "_",
    "\\",
    "\x00",
    "教\x00育",
    "\ud800",
    "教育\udfff会议",
    "\u200b\ufeff",
    "🙂🙃",
    "{title}: x",
    "2021",
]


@pytest.fixture
def indexed(publish):
    return publish(
        "教育工作会议讲话", ["全区教育工作会议在会议中心召开。"], description="讲话"
    )


@pytest.mark.parametrize("query", NASTY)
def test_pathological_queries_answer_without_error(indexed, query):
    found = search.search(query, user=ANON)
    assert found.total >= 0
    assert len(found.results) <= 20
    assert search.suggest(query) is not None
    assert search.search_in_document(indexed, query, user=ANON) is not None


def test_syntax_characters_are_plain_text(indexed):
    assert search.search('"教育" AND (会议)', user=ANON).total == 1
    assert search.search("教育*", user=ANON).total == 1
    assert search.search("NEAR(教育 会议)", user=ANON).total == 0  # "near" is a word


def test_bad_paging_and_filters_are_clamped(indexed):
    found = search.search(
        "教育", user=ANON, page=-3, per_page=10_000, sort="nope", price="gratis"
    )
    assert (found.total, found.page, found.per_page) == (1, 1, 50)
    assert search.search("教育", user=ANON, page="x", pages_min="lots").total == 1


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(query=st.text(max_size=300))
def test_fuzzed_queries_never_fail(indexed, query):
    found = search.search(query, user=ANON)
    assert found.total in (0, 1)
    search.suggest(query)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    query=st.text(
        alphabet=st.sampled_from(list("教育会议\"*()-^:+NEARORAND \x00{}[]'%_\\")),
        max_size=60,
    )
)
def test_fuzzed_syntax_soup_never_fails(indexed, query):
    search.search(query, user=ANON)
    search.search_in_document(indexed, query, user=ANON)
