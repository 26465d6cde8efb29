"""One document per cluster of near-copies (docs/moderation.md): search results and
相关资源 show a cluster once, by its best-placed member, and say how many similar
documents it has."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from wenku.documents.access import public_documents

T = TypeVar("T")


def one_per_cluster(
    items: Iterable[T],
    cluster_id: Callable[[T], int | None],
    *,
    skip: int | None = None,
) -> tuple[list[T], int]:
    """The items in order, each cluster's first kept and the rest dropped, none of
    cluster ``skip`` (the page's own document's); and how many were dropped."""
    kept: list[T] = []
    seen: set[int] = set() if skip is None else {skip}
    dropped = 0
    for item in items:
        cluster = cluster_id(item)
        if cluster is not None:
            if cluster in seen:
                dropped += 1
                continue
            seen.add(cluster)
        kept.append(item)
    return kept, dropped


class PublishedClusters:
    """Which ids are published documents, and the cluster of each: what collapsing
    a result list needs, read for many rows in one light query (two integer
    columns) before the page's few documents are loaded in full."""

    def __init__(self) -> None:
        self.cluster: dict[int, int | None] = {}
        self._checked: set[int] = set()

    def __call__(self, ids: Iterable[int]) -> set[int]:
        ids = list(ids)
        missing = [pk for pk in dict.fromkeys(ids) if pk not in self._checked]
        if missing:
            self._checked.update(missing)
            self.cluster.update(
                public_documents()
                .filter(pk__in=missing)
                .values_list("pk", "cluster_id")
            )
        return {pk for pk in ids if pk in self.cluster}
