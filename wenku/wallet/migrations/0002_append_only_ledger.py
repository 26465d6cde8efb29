"""Make ledger rows append-only in the database itself.

PostgreSQL refuses UPDATE and DELETE on transfers and entries (TRUNCATE, used only
by test flushes, is not a row operation). SQLite refuses UPDATE; DELETE stays
possible there because Django's test flush deletes rows one table at a time.
"""

from django.db import migrations

TABLES = ("wallet_entry", "wallet_transfer")

PG_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION wallet_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'wallet ledger rows are append-only (% on %)', TG_OP, TG_TABLE_NAME;
    END;
    $$ LANGUAGE plpgsql;
    """,
    *[
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION wallet_append_only();"
        for table in TABLES
    ],
]
PG_BACKWARD = [
    *[f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};" for table in TABLES],
    "DROP FUNCTION IF EXISTS wallet_append_only();",
]
SQLITE_FORWARD = [
    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table} "
    "BEGIN SELECT RAISE(ABORT, 'wallet ledger rows are append-only'); END;"
    for table in TABLES
]
SQLITE_BACKWARD = [f"DROP TRIGGER IF EXISTS {table}_append_only;" for table in TABLES]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement, params=None)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("wallet", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
