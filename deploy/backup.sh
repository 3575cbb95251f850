#!/bin/sh
# The nightly backup (deploy/systemd/pathways-backup.service): one consistent copy of the whole database
# into PATHWAYS_BACKUP_DIR, then the backups older than PATHWAYS_BACKUP_KEEP_DAYS days removed. Removing
# happens only after a backup succeeded, so a run of failed nights never empties the folder.
set -eu
app=$(dirname "$0")/..
folder=${PATHWAYS_BACKUP_DIR:-/var/backups/pathways}
keep_days=${PATHWAYS_BACKUP_KEEP_DAYS:-14}
"$app/.venv/bin/python" "$app/manage.py" backup "$folder/pathways-$(date -u +%Y-%m-%dT%H%M%SZ).backup"
find "$folder" -maxdepth 1 -name 'pathways-*.backup' -mtime +"$((keep_days - 1))" -print -delete
