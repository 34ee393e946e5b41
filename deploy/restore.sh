#!/usr/bin/env bash
# make restore BACKUP=backups/vsop-20260101T030000Z: puts the database and the media folder
# back as they were in that backup. The database's tables are replaced (pg_restore --clean,
# in one transaction); the current media folder is moved aside to MEDIA_ROOT.before-restore-*
# and the archive unpacked in its place. Stop the app servers and the worker first.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?Set DATABASE_URL (postgres://user@host:5432/vsop)}"
BACKUP="${1:-${BACKUP:-}}"
: "${BACKUP:?Say which backup: make restore BACKUP=backups/vsop-<timestamp>}"
BACKUP="${BACKUP%.dump}"
BACKUP="${BACKUP%-media.tar.gz}"
MEDIA_ROOT="${MEDIA_ROOT:-media}"
[ -f "$BACKUP.dump" ] || { echo "no database dump at $BACKUP.dump" >&2; exit 2; }

pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error \
  --dbname "$DATABASE_URL" "$BACKUP.dump"
echo "database restored from $BACKUP.dump"

if [ -f "$BACKUP-media.tar.gz" ]; then
  if [ -d "$MEDIA_ROOT" ] && [ -n "$(ls -A "$MEDIA_ROOT")" ]; then
    aside="$MEDIA_ROOT.before-restore-$(date -u +%Y%m%dT%H%M%SZ)"
    mv "$MEDIA_ROOT" "$aside"
    echo "current media moved to $aside"
  fi
  mkdir -p "$MEDIA_ROOT"
  tar -C "$MEDIA_ROOT" -xzf "$BACKUP-media.tar.gz"
  echo "media restored from $BACKUP-media.tar.gz"
fi
