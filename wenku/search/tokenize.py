"""Text folding and Chinese segmentation, applied identically to documents and queries.

Folding: drop NUL bytes and lone surrogates, NFKC (full-width → half-width), case
folding, then OpenCC traditional → simplified. Segmentation: jieba-rs in search mode
(long words plus their dictionary sub-words), and each segment split into runs of
letters and digits so that every token is plain ``[^\\W_]+`` text that the SQLite
``unicode61`` tokenizer and PostgreSQL's ``simple`` parser both treat as one word.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

import opencc
import rjieba

# Caps keep a single huge document or query from costing unbounded time.
MAX_TOKEN_LENGTH = 64
MAX_QUERY_CHARS = 200
MAX_QUERY_TOKENS = 16
# PostgreSQL rejects tsvectors over 1 MB; 100,000 tokens stay well under it.
MAX_BODY_TOKENS = 100_000

_WORD = re.compile(r"[^\W_]+")
_SPACE = re.compile(r"\s+")

# Function words too frequent to help a query that has other words in it.
STOPWORDS = frozenset(
    [
        "的",
        "了",
        "在",
        "是",
        "和",
        "与",
        "及",
        "或",
        "等",
        "也",
        "就",
        "都",
        "而",
        "之",
        "对",
        "把",
        "被",
        "为",
        "以",
        "于",
        "其",
        "这",
        "那",
        "个",
        "有",
        "a",
        "an",
        "and",
        "or",
        "of",
        "the",
        "to",
        "in",
        "on",
        "for",
        "is",
        "are",
        "be",
        "by",
        "with",
    ]
)


@functools.cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _clean(text: str) -> str:
    # Lone surrogates cannot be encoded; NUL bytes upset both databases.
    if not text.isascii():
        text = text.encode("utf-8", "ignore").decode("utf-8")
    return text.replace("\x00", " ")


# Compatibility characters common in Chinese text, each with its NFKC form. Replacing
# them first lets most texts skip unicodedata.normalize (tens of microseconds per
# page): NFKC(text) == NFKC(text with any character c replaced by NFKC(c)), so when
# the replaced text is already normalised it *is* NFKC(text).
_COMMON_NFKC = [
    (char, unicodedata.normalize("NFKC", char))
    for char in "，：；？！（）［］｛｝＂＇％＋－／＜＝＞＠＃＆＊\xa0\u3000…０１２３４５６７８９"
]


def _nfkc(text: str) -> str:
    if unicodedata.is_normalized("NFKC", text):
        return text
    for char, normal in _COMMON_NFKC:
        if char in text:
            text = text.replace(char, normal)
    if unicodedata.is_normalized("NFKC", text):
        return text
    return unicodedata.normalize("NFKC", text)


def fold(text: str) -> str:
    """Cleaned, NFKC-normalised, case-folded, simplified-Chinese form of the text."""
    text = _nfkc(_clean(text)).casefold()
    if text.isascii():
        return text
    return _t2s().convert(text)


FINGERPRINT_MIN_CHARS = 50


def reading_chars(text: str) -> str:
    """The text reduced to what a reader reads: folded (simplified, NFKC, case),
    whitespace, punctuation and symbols dropped; letters and digits in order."""
    return "".join(
        char for char in fold(text) if unicodedata.category(char)[0] in ("L", "N")
    )


def content_fingerprint(text: str) -> str:
    """SHA-256 of ``reading_chars(text)``. Re-saved, converted (docx ↔ pdf) or
    byte-padded copies share it; "" for text too short to tell documents apart
    (scans, image-only files)."""
    kept = reading_chars(text)
    if len(kept) < FINGERPRINT_MIN_CHARS:
        return ""
    return hashlib.sha256(kept.encode()).hexdigest()


@functools.lru_cache(maxsize=65536)
def fold_char(char: str) -> str:
    """Fold one character (for mapping matches back onto the original text)."""
    return fold(char)


def segment(folded: str) -> list[str]:
    """Tokens of already-folded text, in order, repeats kept."""
    tokens: list[str] = []
    for piece in rjieba.cut_for_search(folded):
        if piece.isalnum():  # the common case: one clean word
            if len(piece) <= MAX_TOKEN_LENGTH:
                tokens.append(piece)
            continue
        for word in _WORD.findall(piece):
            if len(word) <= MAX_TOKEN_LENGTH:
                tokens.append(word)
    return tokens


def tokens(text: str) -> list[str]:
    """Fold then segment: the tokens stored in the index for this text."""
    return segment(fold(text))


def index_text(text: str, *, max_tokens: int | None = None) -> str:
    """Space-joined tokens, the form stored in the full-text index."""
    words = tokens(text)
    if max_tokens is not None:
        words = words[:max_tokens]
    return " ".join(words)


def normalize_query(query: str) -> str:
    """The folded query with collapsed whitespace, capped in length."""
    return _SPACE.sub(" ", fold(query[: MAX_QUERY_CHARS * 4])).strip()[:MAX_QUERY_CHARS]


def query_tokens(query: str) -> list[str]:
    """Distinct tokens of a query; stopwords dropped unless nothing else is left."""
    words = list(dict.fromkeys(segment(normalize_query(query))))
    content = [word for word in words if word not in STOPWORDS]
    return (content or words)[:MAX_QUERY_TOKENS]
