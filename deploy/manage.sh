#!/usr/bin/env bash
# `manage.py` by hand on a server set up as docs/deploying.md says, in the services' own conditions: as the
# pathways user, with /etc/pathways/pathways.env and the keys. Run as root, since the key files are root's:
#     sudo /opt/pathways/deploy/manage.sh migrate
# Like systemd's LoadCredential=, it copies the keys into a private in-memory folder the pathways user can
# read while the command runs, and removes them afterwards.
set -euo pipefail
app=$(cd "$(dirname "$0")/.." && pwd)
etc=${PATHWAYS_ETC:-/etc/pathways}

set -a
. "$etc/pathways.env"
set +a
keys=$(mktemp -d -p /run pathways-keys.XXXXXX)
trap 'rm -rf "$keys"' EXIT
for name in secret_key field_keys access_log_keys; do
  install -m 0400 -o pathways -g pathways "$etc/keys/$name" "$keys/$name"
done
chown pathways:pathways "$keys"
export PATHWAYS_SECRET_KEY_FILE=$keys/secret_key PATHWAYS_FIELD_KEYS_FILE=$keys/field_keys \
  PATHWAYS_ACCESS_LOG_KEYS_FILE=$keys/access_log_keys HOME=/var/lib/pathways
# Files it writes are readable by all (unlike the services' UMask=0077): collectstatic's files are read by Caddy.
umask 022
cd "$app"
setpriv --reuid=pathways --regid=pathways --init-groups "$app/.venv/bin/python" manage.py "$@"
