"""A GIN index on ``title || body`` of Wagtail's search index table, on PostgreSQL only.

Why here: Wagtail's PostgreSQL backend filters with ``(title || body) @@ tsquery``
(modelsearch's ``PostgresSearchQueryCompiler.search``), but wagtail.search's migrations
create GIN indexes on ``title`` and ``body`` separately, and PostgreSQL only uses an
index for an expression it was built on. Without this index every search reads and
matches every row of the table (EXPLAIN: Seq Scan on wagtailsearch_indexentry); with
it, a bitmap scan reads only the matching rows. The tsvectors are stored already
stemmed (search/backend.py), so one index serves every language's configuration.

The table belongs to wagtail.search, whose migrations we do not extend; the index is
created by this app's migration instead. ``IF NOT EXISTS``, so that a future Wagtail
migration adding the same index under this name does not clash. Plain ``CREATE INDEX``
locks writes to the table while it is built (seconds for ten thousand pages).
"""

from django.db import migrations

INDEX = "search_indexentry_title_body_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table)
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON {table} USING gin ((title || body))")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
