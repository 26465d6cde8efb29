# The band index holds the document too: a lookup reads the index alone.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0009_near_merges_refusals_bans'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='nearband',
            name='nearband_lookup',
        ),
        migrations.AddIndex(
            model_name='nearband',
            index=models.Index(fields=['band', 'hash', 'document'], name='nearband_lookup'),
        ),
    ]
