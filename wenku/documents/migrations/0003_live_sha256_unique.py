from django.db import migrations, models


def refuse_live_duplicates(apps, schema_editor):
    """Name the documents to resolve first, rather than fail on an opaque index error."""
    Document = apps.get_model("documents", "Document")
    live = Document.objects.exclude(status__in=["deleted", "failed"])
    duplicated = (
        live.values("sha256")
        .annotate(copies=models.Count("pk"))
        .filter(copies__gt=1)
        .values_list("sha256", flat=True)
    )
    numbers = sorted(live.filter(sha256__in=list(duplicated)).values_list("number", flat=True))
    if numbers:
        raise RuntimeError(
            "These documents share their file with another one not deleted or failed; "
            f"delete all but one copy of each, then migrate again: {numbers[:50]}"
        )


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_conversion_lease")]

    operations = [
        migrations.RunPython(refuse_live_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["deleted", "failed"]), _negated=True),
                fields=("sha256",),
                name="doc_live_sha256_unique",
            ),
        ),
    ]
