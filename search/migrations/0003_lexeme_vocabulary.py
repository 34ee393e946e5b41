"""The vocabulary of the search index, for finding compounds by their parts fast (PostgreSQL only).

Measured with ``make bench-search`` (10,000 pages): a trigram index (``pg_trgm``) on the
pages' whole text answers ``LIKE '%armut%'`` through the index in 10 ms but must re-check
2,000 texts of 2 KB each (180 ms, p95 of the counts 700 ms under load). The distinct words are far fewer: this table
holds every lexeme of the index (as stemmed for its language), filled by a trigger on
Wagtail's index table, with a trigram index on it. A part ("armut") is looked up among the
lexemes (a few ms), and the compounds found ("familienarmut", "kinderarmut") become an
ordinary full-text query on the GIN index of ``title || body`` (``search.0002``).
Lexemes are never deleted: a word no page uses any more only widens a query that then
finds nothing through it.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE IF NOT EXISTS search_lexeme (word text PRIMARY KEY);
CREATE INDEX IF NOT EXISTS search_lexeme_word_trgm ON search_lexeme USING gin (word gin_trgm_ops);
CREATE OR REPLACE FUNCTION search_lexeme_collect() RETURNS trigger AS $$
BEGIN
    INSERT INTO search_lexeme (word)
    SELECT DISTINCT lexeme FROM unnest(tsvector_to_array(NEW.title || NEW.body)) AS lexeme
    WHERE length(lexeme) BETWEEN 4 AND 80
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS search_lexeme_collect ON {table};
CREATE TRIGGER search_lexeme_collect AFTER INSERT OR UPDATE OF title, body ON {table}
    FOR EACH ROW EXECUTE FUNCTION search_lexeme_collect();
INSERT INTO search_lexeme (word)
SELECT DISTINCT lexeme FROM {table}, unnest(tsvector_to_array(title || body)) AS lexeme
WHERE length(lexeme) BETWEEN 4 AND 80
ON CONFLICT DO NOTHING;
"""

DROP = """
DROP TRIGGER IF EXISTS search_lexeme_collect ON {table};
DROP FUNCTION IF EXISTS search_lexeme_collect();
DROP TABLE IF EXISTS search_lexeme;
"""


def table(apps, schema_editor):
    return schema_editor.quote_name(apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE.format(table=table(apps, schema_editor)))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP.format(table=table(apps, schema_editor)))


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_indexentry_title_body_gin"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create, drop)]
