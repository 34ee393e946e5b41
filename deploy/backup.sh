#!/usr/bin/env bash
# make backup: the database (pg_dump, custom format) and the media folder (tar.gz), with one
# UTC timestamp, into BACKUP_DIR. Together they are the whole site. Prints the prefix that
# `make restore BACKUP=…` takes.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?Set DATABASE_URL (postgres://user@host:5432/vsop)}"
case "$DATABASE_URL" in postgres://*|postgresql://*) ;; *) echo "make backup needs a PostgreSQL DATABASE_URL (SQLite: copy db.sqlite3)" >&2; exit 2 ;; esac
BACKUP_DIR="${BACKUP_DIR:-backups}"
MEDIA_ROOT="${MEDIA_ROOT:-media}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
prefix="$BACKUP_DIR/vsop-$stamp"
mkdir -p "$BACKUP_DIR"
umask 077  # backups hold personal data (form submissions): readable by the owner only

pg_dump --format=custom --no-owner --no-privileges --file "$prefix.dump.partial" "$DATABASE_URL"
mv "$prefix.dump.partial" "$prefix.dump"

if [ "${MEDIA_STORAGE:-local}" = "s3" ]; then
  echo "MEDIA_STORAGE=s3: media stay in the bucket (use its versioning or replication); no media archive written" >&2
else
  mkdir -p "$MEDIA_ROOT"
  tar -C "$MEDIA_ROOT" -czf "$prefix-media.tar.gz.partial" .
  mv "$prefix-media.tar.gz.partial" "$prefix-media.tar.gz"
fi
echo "$prefix"
