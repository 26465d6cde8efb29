"""Keywords: the most frequent meaningful words (jieba-rs segmentation)."""

from __future__ import annotations

import re
from collections import Counter

import rjieba

SAMPLE_CHARS = 200_000
_WORD = re.compile(r"^(?:[\u4e00-\u9fff]{2,}|[A-Za-z][A-Za-z\-]{2,})$")
STOPWORDS = frozenset(
    [
        "我们",
        "你们",
        "他们",
        "她们",
        "它们",
        "这个",
        "那个",
        "这些",
        "那些",
        "一个",
        "没有",
        "不是",
        "就是",
        "还是",
        "但是",
        "而且",
        "因为",
        "所以",
        "如果",
        "虽然",
        "然后",
        "以及",
        "或者",
        "可以",
        "已经",
        "进行",
        "通过",
        "对于",
        "关于",
        "其中",
        "之间",
        "以上",
        "以下",
        "自己",
        "什么",
        "怎么",
        "这样",
        "那样",
        "这种",
        "那种",
        "一些",
        "一定",
        "同时",
        "需要",
        "要求",
        "作为",
        "成为",
        "方面",
        "问题",
        "工作",
        "情况",
        "the",
        "and",
        "for",
        "with",
        "that",
        "this",
        "from",
        "are",
        "was",
        "were",
        "have",
        "has",
        "not",
        "but",
        "you",
        "your",
        "all",
        "can",
        "will",
    ]
)


def extract(text: str, limit: int = 10) -> tuple[str, ...]:
    """Up to `limit` keywords, most frequent first (ties keep first appearance)."""
    counts: Counter[str] = Counter()
    for word in rjieba.cut(text[:SAMPLE_CHARS]):
        word = word.strip()
        if _WORD.match(word) and word.lower() not in STOPWORDS:
            counts[word if not word.isascii() else word.lower()] += 1
    return tuple(word for word, _ in counts.most_common(limit))
