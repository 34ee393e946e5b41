"""WordPress import benchmark: a generated 5,000-item export into a throwaway database.

A benchmark, not a test: it prints figures and asserts nothing.

    .venv/bin/python bench/wordpress_import_bench.py            # SQLite file in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vsop_bench_wxr .venv/bin/python bench/wordpress_import_bench.py

or ``make bench-import``. With a PostgreSQL URL the database (only one named
``vsop_bench…``) is dropped and created afresh. Options: ``--items N`` (default
5000), ``--pad-kb N`` (extra text per item, to make a large file for the reader's
memory figure; default 0), ``--keep`` (keep the SQLite folder).

What it measures:

1. The export: N items — 20 % pages in a hierarchy, 70 % posts (classic and block
   editor, categories, tags, a few shortcodes), 8 % attachments with real files in
   an uploads folder, 2 % Contact Form 7 forms — written by this script, fixed seed.
2. Reading alone (``wxr.scan``): time and the peak of Python's allocations
   (tracemalloc), which must not grow with the file.
3. The import (``manage.py import_wordpress``): time, items per second, and the
   process's peak resident memory (``resource.getrusage``).
4. The second run on the same export (everything unchanged): time.
"""

import argparse
import os
import random
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from io import StringIO
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vsop_cms.settings.dev")

SEED = 20240512
WORDS = [
    "Sozialplanung",
    "Kommune",
    "Jugendhilfe",
    "Pflege",
    "Altenhilfe",
    "Quartier",
    "Beteiligung",
    "Armut",
    "Familie",
    "Bericht",
    "Fachtag",
    "Netzwerk",
    "Planung",
    "Daten",
    "Monitoring",
    "Teilhabe",
    "Inklusion",
    "Gesundheit",
    "Wohnen",
    "Bildung",
    "Verwaltung",
    "Landkreis",
    "Stadt",
    "Steuerung",
    "Prävention",
    "Integration",
    "Ehrenamt",
    "Kinder",
    "Jugendliche",
    "Senioren",
]


def cdata(text):
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def php_string(value):
    return f's:{len(value.encode())}:"{value}";'


def sentence(rng, n=12):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def write_export(path, uploads, items, pad_kb):
    rng = random.Random(SEED)
    n_pages, n_attachments, n_forms = items * 20 // 100, items * 8 // 100, max(1, items * 2 // 100)
    n_posts = items - n_pages - n_attachments - n_forms
    padding = (sentence(rng, 20) + " ") * (pad_kb * 1024 // 160) if pad_kb else ""
    uploads.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
            'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">\n'
            "<channel>\n<title>Bench</title>\n<link>https://alt.example.org</link>\n"
            "<wp:wxr_version>1.2</wp:wxr_version>\n<wp:base_site_url>https://alt.example.org</wp:base_site_url>\n"
            "<wp:base_blog_url>https://alt.example.org</wp:base_blog_url>\n"
        )
        for n in range(10):
            out.write(
                f"<wp:category><wp:term_id>{n + 1}</wp:term_id><wp:category_nicename>kategorie-{n}"
                f"</wp:category_nicename><wp:cat_name>{cdata(f'Kategorie {n}')}</wp:cat_name></wp:category>\n"
            )
        post_id = 100

        def item(kind, title, slug, content, parent=0, order=0, extra=""):
            nonlocal post_id
            post_id += 1
            link = (
                f"https://alt.example.org/{slug}/"
                if kind != "attachment"
                else f"https://alt.example.org/?attachment_id={post_id}"
            )
            out.write(
                f"<item><title>{cdata(title)}</title><link>{link}</link>"
                f"<dc:creator>{cdata('redaktion')}</dc:creator>"
                f'<guid isPermaLink="false">https://alt.example.org/?p={post_id}</guid>'
                f"<content:encoded>{cdata(content)}</content:encoded><excerpt:encoded>{cdata('')}</excerpt:encoded>"
                f"<wp:post_id>{post_id}</wp:post_id><wp:post_date>2021-03-04 10:00:00</wp:post_date>"
                f"<wp:post_date_gmt>2021-03-04 09:00:00</wp:post_date_gmt><wp:post_name>{slug}</wp:post_name>"
                f"<wp:status>{'inherit' if kind == 'attachment' else 'publish'}</wp:status>"
                f"<wp:post_parent>{parent}</wp:post_parent><wp:menu_order>{order}</wp:menu_order>"
                f"<wp:post_type>{kind}</wp:post_type>{extra}</item>\n"
            )
            return post_id

        pages = []
        for n in range(n_pages):
            parent = rng.choice(pages[:50]) if pages and n % 3 else 0
            body = f"{sentence(rng)}\n{sentence(rng)}\n\n{sentence(rng)} {padding}"
            pages.append(item("page", f"Seite {n}", f"seite-{n}", body, parent=parent, order=n % 7))
        for n in range(n_attachments):
            name = f"{2020 + n % 4}/0{1 + n % 9}/datei-{n}.pdf"
            file = uploads / name
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_bytes(b"%PDF-1.4\n" + str(n).encode() + b"\n%%EOF\n")
            item(
                "attachment",
                f"Datei {n}",
                f"datei-{n}",
                "",
                extra=f"<wp:attachment_url>https://alt.example.org/wp-content/uploads/{name}</wp:attachment_url>"
                f"<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key><wp:meta_value>{name}"
                "</wp:meta_value></wp:postmeta>",
            )
        forms = []
        for n in range(n_forms):
            template = f"<label> Name [text* name-{n}] </label>\n<label> E-Mail [email* email] </label>\n[submit]"
            mail = (
                "a:2:{"
                + php_string("recipient")
                + php_string("team@example.org")
                + php_string("subject")
                + php_string("Anfrage")
                + "}"
            )
            meta = "".join(
                f"<wp:postmeta><wp:meta_key>{key}</wp:meta_key><wp:meta_value>{cdata(value)}</wp:meta_value>"
                "</wp:postmeta>"
                for key, value in (("_form", template), ("_mail", mail))
            )
            forms.append(item("wpcf7_contact_form", f"Formular {n}", f"formular-{n}", "", extra=meta))
        for n in range(n_posts):
            category = f"kategorie-{n % 10}"
            if n % 2:
                body = (
                    f"<!-- wp:paragraph -->\n<p>{sentence(rng)}</p>\n<!-- /wp:paragraph -->\n\n"
                    f"<!-- wp:heading -->\n<h2>{sentence(rng, 4)}</h2>\n<!-- /wp:heading -->\n\n"
                    f"<!-- wp:paragraph -->\n<p>{sentence(rng)} {padding}</p>\n<!-- /wp:paragraph -->"
                )
            else:
                body = f"{sentence(rng)}\n{sentence(rng)}\n\n{sentence(rng)} {padding}"
            if n % 25 == 0:
                body += f'\n\n[contact-form-7 id="{rng.choice(forms)}" title="Formular"]'
            if n % 40 == 0:
                body += f'\n\n<a href="https://alt.example.org/seite-{rng.randrange(n_pages)}/">Mehr</a>'
            item(
                "post",
                f"Meldung {n}",
                f"meldung-{n}",
                body,
                extra=f'<category domain="category" nicename="{category}">{cdata(category)}</category>'
                f'<category domain="post_tag" nicename="tag-{n % 30}">{cdata(f"Tag {n % 30}")}</category>',
            )
        out.write("</channel>\n</rss>\n")
    return {"pages": n_pages, "posts": n_posts, "attachments": n_attachments, "forms": n_forms}


def prepare_database(url):
    parts = urlparse(url)
    if parts.scheme.startswith("postgres"):
        import psycopg2
        from psycopg2 import sql

        name = parts.path.lstrip("/")
        if not name.startswith("vsop_bench"):
            sys.exit(f"Refusing to drop {name!r}: only databases named vsop_bench… are dropped.")
        connection = psycopg2.connect(
            dbname="postgres",
            user=parts.username or "postgres",
            password=parts.password,
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
        )
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        connection.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--pad-kb", type=int, default=0)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="wxr-bench-"))
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    prepare_database(os.environ["DATABASE_URL"])

    export, uploads = workdir / "export.xml", workdir / "uploads"
    started = time.perf_counter()
    counts = write_export(export, uploads, args.items, args.pad_kb)
    size_mb = export.stat().st_size / 1024 / 1024
    print(f"Export: {args.items:,} items {counts}, {size_mb:.1f} MB, written in {time.perf_counter() - started:.1f} s")

    import django

    django.setup()
    from django.core.management import call_command

    from wagtail.models import Locale, Page, Site

    from home.models import HomePage
    from wordpress_import.wxr import scan

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    locale = Locale.objects.get_or_create(language_code="de")[0]
    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node()
    for child in root.get_children():
        Site.objects.filter(root_page=child).delete()
        child.delete()
    root.refresh_from_db()
    home = root.add_child(instance=HomePage(title="VSOP e.V.", slug="home", locale=locale))
    Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "localhost", "root_page": home})
    print(f"Database: {os.environ['DATABASE_URL'].split('@')[-1]}, migrated in {time.perf_counter() - started:.1f} s")

    tracemalloc.start()
    started = time.perf_counter()
    index = scan(export)
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"Reading alone: {len(index.items):,} items in {seconds:.2f} s "
        f"({size_mb / seconds:.0f} MB/s), peak Python allocations {peak / 1024 / 1024:.1f} MB "
        f"(index without contents: {peak / len(index.items) / 1024:.2f} KB per item)"
    )
    del index

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cpu_before = time.process_time()
    started = time.perf_counter()
    call_command(
        "import_wordpress", str(export), uploads=str(uploads), no_progress=True, stdout=StringIO(), stderr=StringIO()
    )
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_before
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"Import: {seconds:.1f} s wall clock, {cpu:.1f} s CPU of this process ({args.items / seconds:.1f} items/s), "
        f"peak resident memory {rss_after:.0f} MB (before the import {rss_before:.0f} MB)"
    )
    started = time.perf_counter()
    out = StringIO()
    call_command(
        "import_wordpress", str(export), uploads=str(uploads), no_progress=True, stdout=out, stderr=StringIO()
    )
    print(f"Second run, nothing changed: {time.perf_counter() - started:.1f} s")
    print("\n".join(line for line in out.getvalue().splitlines()[4:16] if line.strip()))
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        print(f"Kept {workdir}")


if __name__ == "__main__":
    main()
