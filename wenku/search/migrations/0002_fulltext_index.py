"""The full-text index: an FTS5 virtual table on SQLite, tsvector + GIN on PostgreSQL.

The SQL is written out here (not imported from the backends) so this migration keeps
meaning what it meant when it was written.
"""

from django.db import migrations

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "title, tags, description, body, tokenize = 'unicode61 remove_diacritics 0')",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS search_fts"]
POSTGRES_CREATE = [
    # No foreign key: Django's TRUNCATE-based flush must not trip over it, and
    # every query joins documents_document, which hides an orphan row.
    "CREATE TABLE IF NOT EXISTS search_entry ("
    "document_id bigint PRIMARY KEY, vector tsvector NOT NULL)",
    "CREATE INDEX IF NOT EXISTS search_entry_vector ON search_entry USING gin (vector)",
]
POSTGRES_DROP = ["DROP TABLE IF EXISTS search_entry"]


def _run(schema_editor, by_vendor):
    vendor = schema_editor.connection.vendor
    if vendor not in by_vendor:
        raise RuntimeError(f"search: unsupported database vendor {vendor!r}")
    for statement in by_vendor[vendor]:
        schema_editor.execute(statement)


def create_index(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE})


def drop_index(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP})


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("documents", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
