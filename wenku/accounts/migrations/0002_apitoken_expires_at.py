from datetime import timedelta

from django.db import migrations, models


def expire_after_thirty_days(apps, schema_editor):
    # Tokens issued before expiry existed get the default lifetime from issue.
    ApiToken = apps.get_model("accounts", "ApiToken")
    for row in ApiToken.objects.all().only("pk", "created_at"):
        ApiToken.objects.filter(pk=row.pk).update(
            expires_at=row.created_at + timedelta(days=30)
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.AlterModelOptions(
            name="apitoken",
            options={
                "ordering": ("-created_at", "-id"),
                "verbose_name": "API 令牌",
                "verbose_name_plural": "API 令牌",
            },
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(expire_after_thirty_days, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(),
        ),
    ]
