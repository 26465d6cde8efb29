"""Near-duplicates: an edited copy, an excerpt or an extended copy of a document on
the site is found at publication and grouped with it (docs/moderation.md).

The conversion job signs the text (``minhash.signature``) before its publishing
transaction, takes ``publication_lock`` first thing in it, then calls
``near_duplicate_check`` and ``near_duplicate_record``: publications' checks run one
at a time, so of two near-copies converting at once the second sees the first.
The site's rules (``SiteSettings.near_*``) decide what a near-copy of another
member's document does; the same uploader's near-copy is a new version, and a
near-copy of a taken-down document is refused like its exact text is, also after
that document is deleted (its signature stays while its content is banned). A
document near documents of several clusters merges them. Every cluster change and
every refusal writes a ``ClusterEvent``, and cluster changes mark the members'
cached pages stale.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

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
from wenku.moderation.selectors import content_banned
from wenku.search import minhash

# pg_advisory_xact_lock key of publications' duplicate checks ("wenku" in ASCII).
PUBLICATION_LOCK = 0x77656E6B75


@dataclass(frozen=True)
class NearMatch:
    """A document on the site whose text is near this one's."""

    document: Document
    resemblance: minhash.Resemblance


@dataclass(frozen=True)
class NearCheck:
    """What publication does about near-copies: the signature to store, the match
    to group with (None: alone, or a re-render keeping its cluster), the action (a
    ``ClusterAction``, or "" for none), and every match, whose clusters merge."""

    signature: minhash.Signature | None
    match: NearMatch | None = None
    action: str = ""
    matches: tuple[NearMatch, ...] = ()

    @property
    def review(self) -> bool:
        return self.action == ClusterAction.REVIEW


@dataclass(frozen=True)
class NearCopyRefused(ConversionError):
    """A publication refused for a near-copy ("banned" or "near_copy"), with the
    document it is like: the failure records it as a ``ClusterEvent``."""

    match_id: int = 0
    similarity: float = 0.0
    containment: float = 0.0


def publication_lock() -> None:
    """Run publications' duplicate checks one at a time, from here to the end of
    the caller's transaction (call it first in the transaction, before any row
    lock, so that no lock waits on another in the other order).

    On PostgreSQL a transaction-level advisory lock: without it two copies
    converting at once each check before the other commits, and both pass. SQLite
    needs none: its IMMEDIATE transactions already take the write lock first."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PUBLICATION_LOCK])


def near_matches(document: Document, signature: minhash.Signature) -> list[NearMatch]:
    """Documents in the index (any status but failed or rejected; deleted ones
    only while banned) whose signatures pass the site's similarity or containment threshold, closest first."""
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


def _banned(document: Document) -> bool:
    """A taken-down document, or a deleted one whose content is still banned (its
    signature is kept for that; a counter-notice lifts the ban)."""
    if document.status == DocumentStatus.TAKEN_DOWN:
        return True
    return document.status == DocumentStatus.DELETED and any(
        content_banned(value)
        for value in (document.sha256, document.text_sha256)
        if value
    )


def _refusal(code: str, match: NearMatch, detail: str) -> NearCopyRefused:
    return NearCopyRefused(
        code,
        detail,
        match_id=match.document.pk,
        similarity=match.resemblance.similarity,
        containment=match.resemblance.containment,
    )


def near_duplicate_check(
    document: Document, signature: minhash.Signature | None
) -> NearCheck:
    """The near-copy decision for a document about to be published (its text's
    signature, None for a text too short to sign), or NearCopyRefused: "banned"
    for a near-copy of a taken-down document, "near_copy" when the rules refuse a
    near-copy of another member's document."""
    if signature is None:
        return NearCheck(signature=None)
    if NearFingerprint.objects.filter(document=document).exists():
        return NearCheck(signature=signature)  # a re-render keeps its cluster
    found = near_matches(document, signature)
    for match in found:
        if _banned(match.document):
            percent = _percent(match)
            raise _refusal(
                "banned", match, f"与已下架的文档 {percent}% 相似 / {percent}% like it"
            )
    # A deleted document still in the index is there only for its ban.
    matches = tuple(m for m in found if m.document.status != DocumentStatus.DELETED)
    if not matches:
        return NearCheck(signature=signature)
    best = matches[0]
    others = [m for m in matches if m.document.uploader_id != document.uploader_id]
    if not others:
        return NearCheck(
            signature=signature,
            match=best,
            action=ClusterAction.VERSION,
            matches=matches,
        )
    rules = site_settings_get()
    priced = any(not m.document.is_free for m in others)
    policy = rules.near_copy_priced if priced else rules.near_copy_free
    if policy == NearCopyPolicy.REFUSE:
        closest = others[0]
        visible = document_access(user=document.uploader, document=closest.document)
        where = closest.document.get_absolute_url() if visible.view else ""
        raise _refusal("near_copy", closest, f"{_percent(closest)}% {where}".strip())
    review = policy == NearCopyPolicy.REVIEW and not document.uploader.is_staff
    action = ClusterAction.REVIEW if review else ClusterAction.JOINED
    return NearCheck(signature=signature, match=best, action=action, matches=matches)


def near_duplicate_refusal_record(
    *, document: Document, refusal: NearCopyRefused
) -> None:
    """Audit a near-copy refused at publication (in the failing transaction)."""
    ClusterEvent.objects.create(
        document=document,
        match_id=refusal.match_id or None,
        action=ClusterAction.BANNED
        if refusal.code == "banned"
        else ClusterAction.REFUSED,
        similarity=refusal.similarity,
        containment=refusal.containment,
    )


def _invalidate_cluster(cluster_id: int) -> None:
    """Every member's page says how many versions there are: all change."""
    ids = Document.objects.filter(cluster_id=cluster_id).values_list("pk", flat=True)
    pagecache.invalidate(*(pagecache.document_tag(pk) for pk in ids))


def near_duplicate_record(*, document: Document, check: NearCheck) -> None:
    """Store the signature and bands, and group the document with its matches,
    auditing the decision (inside the publishing transaction).

    The document joins the cluster of its closest match; when its matches lie in
    several clusters (or none), it links them: they merge into the oldest, each
    document moved gets a ``merged`` event naming this one. The original stays
    the earliest published member (read, not stored)."""
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
    best = check.match
    linked = {m.document.pk: m for m in (best, *check.matches)}
    # In primary-key order, as every writer locking several documents does.
    rows = list(
        Document.objects.select_for_update()
        .filter(pk__in=linked)
        .order_by("pk")
        .only("pk", "cluster_id")
    )
    clusters = {row.cluster_id for row in rows if row.cluster_id is not None}
    if clusters:
        target = min(clusters)
    else:
        target = Cluster.objects.create().pk
        Document.objects.filter(pk=best.document.pk).update(cluster_id=target)
    # Documents that change cluster because this one links them: the members of
    # the other clusters, and matches that were alone (but the closest, which
    # founds a new cluster with this one).
    moving = list(
        Document.objects.select_for_update()
        .filter(cluster_id__in=clusters - {target})
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    moving += [
        row.pk
        for row in rows
        if row.cluster_id is None and (clusters or row.pk != best.document.pk)
    ]
    Document.objects.filter(pk__in=moving).update(cluster_id=target)
    for pk in sorted(moving):
        resemblance = linked[pk].resemblance if pk in linked else None
        ClusterEvent.objects.create(
            document_id=pk,
            cluster_id=target,
            match=document,
            action=ClusterAction.MERGED,
            similarity=resemblance.similarity if resemblance else 0.0,
            containment=resemblance.containment if resemblance else 0.0,
        )
    document.cluster_id = target
    Document.objects.filter(pk=document.pk).update(cluster_id=target)
    ClusterEvent.objects.create(
        document=document,
        cluster_id=target,
        match_id=best.document.pk,
        action=check.action,
        similarity=best.resemblance.similarity,
        containment=best.resemblance.containment,
    )
    _invalidate_cluster(target)


def near_duplicate_status_changed(*, document: Document) -> None:
    """A member's status changed (takedown, unlisting, restore, deletion): the other
    members' pages count and name versions anew. A deleted document leaves its
    cluster, and the index too unless its content is banned: then its signature
    stays, so a near-copy of it is still refused."""
    if document.status == DocumentStatus.DELETED:
        if not _banned(document):
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
