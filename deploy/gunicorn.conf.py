"""gunicorn's settings for Pathways in production: `gunicorn -c deploy/gunicorn.conf.py`.

Pathways is served as a WSGI app by pre-forked sync workers behind Caddy (deploy/Caddyfile), which ends TLS,
compresses, serves /static/ and holds slow clients, so each worker only ever talks to a fast local proxy.
Settings given on gunicorn's command line win over these.
"""
import os

wsgi_app = "pathways.config.wsgi:application"

# Loopback TCP, not a unix socket: Debian's Caddy runs as its own user and reaches a port without sharing a
# group or a socket file's mode with the pathways user (whose services run with UMask=0077), and a port can
# be checked with curl and measured with wrk. Only this machine can connect. PATHWAYS_WEB_BIND takes
# `unix:/run/pathways/web.sock` as well.
bind = [os.environ.get("PATHWAYS_WEB_BIND", "127.0.0.1:8001")]

# Pages spend most of their time on CPU (templates) with short waits on PostgreSQL in between: twice the cores
# plus one keeps every core busy while some workers wait. Each worker holds a full copy of the app in memory,
# so a small server may want fewer (PATHWAYS_WEB_WORKERS).
workers = int(os.environ.get("PATHWAYS_WEB_WORKERS") or 2 * (os.cpu_count() or 1) + 1)
worker_class = "sync"
# Not preloaded: on HUP each new worker imports the code afresh, so `systemctl reload pathways-web` after an
# upgrade serves the new code while the old workers finish the requests they hold.
preload_app = False

# A worker stuck longer than this on one request is killed and replaced. The slowest honest request is the
# MI analyzer coding the largest transcript it accepts (20,000 turns): about 30-70 s on 2 cores at the
# 300-640 turns/s of the model card; an ordinary session's few hundred turns take a second or two.
timeout = 120
# On reload or stop, a worker gets this long to finish the request it is serving.
graceful_timeout = 30
# A worker is replaced after about a thousand requests (spread out, so they do not all restart at once),
# which caps how far memory can creep in a long-running process.
max_requests = 1000
max_requests_jitter = 100

# Caddy on this machine is the only proxy whose X-Forwarded-Proto gunicorn believes; that one header, which
# Caddy always overwrites, says the request came over HTTPS. Django reads it too (PATHWAYS_PROXY_SSL_HEADER).
forwarded_allow_ips = "127.0.0.1,::1"
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}

# Access log on stdout (the journal under systemd): time, method, path, status, size, duration, worker.
# Only the path: a query string or a Referer can carry a search, a token or an id, and the client's address
# is Caddy's anyway. PATHWAYS_WEB_ACCESS_LOG=off turns it off (e.g. under a load benchmark), or names a file.
_access_log = os.environ.get("PATHWAYS_WEB_ACCESS_LOG", "-")
accesslog = None if _access_log == "off" else _access_log
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms %(p)s'
errorlog = "-"

# gunicorn's control socket would live in the home folder, which the service cannot see (ProtectHome=yes);
# systemd's signals are all it needs: HUP reloads gracefully, TERM stops gracefully.
control_socket_disable = True
proc_name = "pathways-web"
