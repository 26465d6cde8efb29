from django.db import migrations, models

from wenku.search.tokenize import content_fingerprint


def backfill(apps, schema_editor):
    """Fingerprint the text of every document converted before the field existed."""
    Document = apps.get_model("documents", "Document")
    rows = Document.objects.exclude(text="").only("pk", "text")
    for document in rows.iterator(chunk_size=200):
        fingerprint = content_fingerprint(document.text)
        if fingerprint:
            Document.objects.filter(pk=document.pk).update(text_sha256=fingerprint)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0005_review_rejected"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="text_sha256",
            field=models.CharField(
                blank=True, db_index=True, default="", max_length=64
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
