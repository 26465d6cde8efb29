"""Near-duplicates: an edited copy, an excerpt or an extended copy of a document on
the site is found at publication and grouped with it (docs/moderation.md).

The conversion job calls ``near_duplicate_check`` before it writes anything (the
MinHash of a long text takes a moment; on SQLite no write lock is held meanwhile)
and ``near_duplicate_record`` in its publishing transaction. The site's rules
(``SiteSettings.near_*``) decide what a near-copy of another member's document
does; the same uploader's near-copy is a new version, and a near-copy of a
taken-down document is refused like its exact text is. Every cluster change
writes a ``ClusterEvent`` and marks the members' cached pages stale.
"""

from __future__ import annotations

from dataclasses import dataclass

from wenku.conversion.base import ConversionError
from wenku.core import pagecache
from wenku.core.models import NearCopyPolicy
from wenku.core.selectors import site_settings_get
from wenku.documents.access import document_access
from wenku.documents.models import (
    Cluster,
    ClusterAction,
    ClusterEvent,
    Document,
    DocumentStatus,
    NearBand,
    NearFingerprint,
)
from wenku.documents.selectors import near_candidates
from wenku.search import minhash


@dataclass(frozen=True)
class NearMatch:
    """A document on the site whose text is near this one's."""

    document: Document
    resemblance: minhash.Resemblance


@dataclass(frozen=True)
class NearCheck:
    """What publication does about near-copies: the signature to store, the match
    to group with (None: alone, or a re-render keeping its cluster) and the
    action (a ``ClusterAction``, or "" for none)."""

    signature: minhash.Signature | None
    match: NearMatch | None = None
    action: str = ""

    @property
    def review(self) -> bool:
        return self.action == ClusterAction.REVIEW


def near_matches(document: Document, signature: minhash.Signature) -> list[NearMatch]:
    """Documents on the site (any status but deleted, failed or rejected) whose
    signatures pass the site's similarity or containment threshold, closest first."""
    rules = site_settings_get()
    passing: dict[int, minhash.Resemblance] = {}
    for row in near_candidates(bands=signature.bands(), exclude_id=document.pk):
        stored = minhash.Signature(data=row.signature, chars=row.chars)
        resemblance = minhash.compare(signature, stored)
        if resemblance.near(
            similarity=rules.near_similarity / 100,
            containment=rules.near_containment / 100,
        ):
            passing[row.document_id] = resemblance
    if not passing:
        return []
    documents = (
        Document.objects.filter(pk__in=passing).select_related("uploader").defer("text")
    )
    found = [NearMatch(document=d, resemblance=passing[d.pk]) for d in documents]
    found.sort(key=lambda match: (-match.resemblance.score, match.document.pk))
    return found


def _percent(match: NearMatch) -> int:
    return round(match.resemblance.score * 100)


def near_duplicate_check(document: Document, text: str) -> NearCheck:
    """The near-copy decision for a document about to be published, or
    ConversionError: "banned" for a near-copy of a taken-down document, "near_copy"
    when the rules refuse a near-copy of another member's document."""
    signature = minhash.signature(text)
    if signature is None:
        return NearCheck(signature=None)
    if NearFingerprint.objects.filter(document=document).exists():
        return NearCheck(signature=signature)  # a re-render keeps its cluster
    matches = near_matches(document, signature)
    if not matches:
        return NearCheck(signature=signature)
    for match in matches:
        if match.document.status == DocumentStatus.TAKEN_DOWN:
            percent = _percent(match)
            raise ConversionError(
                "banned", f"与已下架的文档 {percent}% 相似 / {percent}% like it"
            )
    best = matches[0]
    others = [m for m in matches if m.document.uploader_id != document.uploader_id]
    if not others:
        return NearCheck(signature=signature, match=best, action=ClusterAction.VERSION)
    rules = site_settings_get()
    priced = any(not m.document.is_free for m in others)
    policy = rules.near_copy_priced if priced else rules.near_copy_free
    if policy == NearCopyPolicy.REFUSE:
        closest = others[0]
        visible = document_access(user=document.uploader, document=closest.document)
        where = closest.document.get_absolute_url() if visible.view else ""
        detail = f"{_percent(closest)}% {where}".strip()
        raise ConversionError("near_copy", detail)
    review = policy == NearCopyPolicy.REVIEW and not document.uploader.is_staff
    action = ClusterAction.REVIEW if review else ClusterAction.JOINED
    return NearCheck(signature=signature, match=best, action=action)


def _invalidate_cluster(cluster_id: int) -> None:
    """Every member's page says how many versions there are: all change."""
    ids = Document.objects.filter(cluster_id=cluster_id).values_list("pk", flat=True)
    pagecache.invalidate(*(pagecache.document_tag(pk) for pk in ids))


def near_duplicate_record(*, document: Document, check: NearCheck) -> None:
    """Store the signature and bands, and group the document with its match,
    auditing the decision (inside the publishing transaction)."""
    if check.signature is None:
        return
    NearFingerprint.objects.update_or_create(
        document=document,
        defaults={"signature": check.signature.data, "chars": check.signature.chars},
    )
    NearBand.objects.filter(document=document).delete()
    NearBand.objects.bulk_create(
        NearBand(document=document, band=band, hash=key)
        for band, key in check.signature.bands()
    )
    if check.match is None:
        return
    match = Document.objects.select_for_update().get(pk=check.match.document.pk)
    if match.cluster_id is None:
        match.cluster = Cluster.objects.create()
        Document.objects.filter(pk=match.pk).update(cluster=match.cluster)
    document.cluster_id = match.cluster_id
    Document.objects.filter(pk=document.pk).update(cluster_id=match.cluster_id)
    ClusterEvent.objects.create(
        document=document,
        cluster_id=match.cluster_id,
        match=match,
        action=check.action,
        similarity=check.match.resemblance.similarity,
        containment=check.match.resemblance.containment,
    )
    if match.cluster_id is not None:
        _invalidate_cluster(match.cluster_id)


def near_duplicate_status_changed(*, document: Document) -> None:
    """A member's status changed (takedown, unlisting, restore, deletion): the other
    members' pages count and name versions anew. A deleted document leaves the
    index and its cluster."""
    if document.status == DocumentStatus.DELETED:
        NearBand.objects.filter(document=document).delete()
        NearFingerprint.objects.filter(document=document).delete()
        if document.cluster_id is not None:
            cluster_id = document.cluster_id
            Document.objects.filter(pk=document.pk).update(cluster=None)
            document.cluster_id = None
            ClusterEvent.objects.create(
                document=document, cluster_id=cluster_id, action=ClusterAction.LEFT
            )
            _invalidate_cluster(cluster_id)
        return
    if document.cluster_id is not None:
        _invalidate_cluster(document.cluster_id)
