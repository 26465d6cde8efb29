from django.db import migrations
from django.db.models import Count, Q

from wenku.search import minhash

# The rules' defaults (core.SiteSettings.near_similarity / near_containment): a
# backfill only groups documents already on the site, it refuses nothing.
SIMILARITY, CONTAINMENT = 0.80, 0.90
SKIPPED = ("deleted", "failed", "rejected")


def backfill(apps, schema_editor):
    """MinHash and LSH bands for every document converted before they existed, in
    publication order, each near-copy joining the cluster of its closest match
    found among the documents before it (the earliest stays the original)."""
    Document = apps.get_model("documents", "Document")
    Cluster = apps.get_model("documents", "Cluster")
    NearFingerprint = apps.get_model("documents", "NearFingerprint")
    NearBand = apps.get_model("documents", "NearBand")
    ClusterEvent = apps.get_model("documents", "ClusterEvent")
    rows = (
        Document.objects.exclude(text="")
        .exclude(status__in=SKIPPED)
        .filter(near_fingerprint__isnull=True)
        .order_by("published_at", "id")
        .only("pk", "text", "cluster_id")
    )
    for document in rows.iterator(chunk_size=100):
        signature = minhash.signature(document.text)
        if signature is None:
            continue
        bands = signature.bands()
        condition = Q()
        for band, key in bands:
            condition |= Q(band=band, hash=key)
        candidate_ids = list(
            NearBand.objects.filter(condition)
            .values("document_id")
            .annotate(shared=Count("id"))
            .order_by("-shared", "document_id")
            .values_list("document_id", flat=True)[:200]
        )
        best = None
        for row in NearFingerprint.objects.filter(document_id__in=candidate_ids):
            other = minhash.Signature(data=bytes(row.signature), chars=row.chars)
            found = minhash.compare(signature, other)
            if found.near(similarity=SIMILARITY, containment=CONTAINMENT) and (
                best is None or found.score > best[1].score
            ):
                best = (row.document_id, found)
        NearFingerprint.objects.create(
            document_id=document.pk, signature=signature.data, chars=signature.chars
        )
        NearBand.objects.bulk_create(
            NearBand(document_id=document.pk, band=band, hash=key)
            for band, key in bands
        )
        if best is None:
            continue
        match_id, found = best
        cluster_id = Document.objects.get(pk=match_id).cluster_id
        if cluster_id is None:
            cluster_id = Cluster.objects.create().pk
            Document.objects.filter(pk=match_id).update(cluster_id=cluster_id)
        Document.objects.filter(pk=document.pk).update(cluster_id=cluster_id)
        ClusterEvent.objects.create(
            document_id=document.pk,
            cluster_id=cluster_id,
            match_id=match_id,
            action="backfill",
            similarity=found.similarity,
            containment=found.containment,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0007_near_duplicates"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
