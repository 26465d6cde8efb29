"""PostgreSQL: a small title+tags vector with its own GIN index, and vectors out of line.

The head vector lets a query rank title and tag matches without reading body vectors;
toast_tuple_target moves large vectors to TOAST so counting matches touches only
small heap rows. Nothing changes on SQLite (FTS5 column filters do the same job).
"""

from django.db import migrations

POSTGRES_FORWARD = [
    "ALTER TABLE search_entry ADD COLUMN IF NOT EXISTS head tsvector NOT NULL "
    "DEFAULT ''::tsvector",
    "CREATE INDEX IF NOT EXISTS search_entry_head ON search_entry USING gin (head)",
    "ALTER TABLE search_entry SET (toast_tuple_target = 128)",
]
POSTGRES_BACKWARD = [
    "ALTER TABLE search_entry RESET (toast_tuple_target)",
    "DROP INDEX IF EXISTS search_entry_head",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS head",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext_index")]

    operations = [migrations.RunPython(forward, backward)]
