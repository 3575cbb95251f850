"""The stacks the load benchmark measures: Pathways as `make serve` runs it (deploy/stack.py: production settings,
PostgreSQL, gunicorn with deploy/gunicorn.conf.py, the worker, Caddy with `tls internal`), and the bare Django
site (benchmarks/_bare_site.py) served by the same gunicorn configuration behind the same Caddyfile."""
import http.cookiejar
import os
import re
import socket
import ssl
import sys
import tempfile
import urllib.parse
import urllib.request
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from deploy.stack import Stack, drop_database  # noqa: E402

SERVER = os.environ.get("PATHWAYS_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432").rstrip("/")
DATABASE_URL = f"{SERVER}/pathways_bench_load"
WEB_WORKERS = 2  # the yardstick: gunicorn, two sync workers, on a 2-core machine
QUIET = {"PATHWAYS_WEB_ACCESS_LOG": "off", "PATHWAYS_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _stack(folder: Path, **options) -> Stack:
    return Stack(folder=folder, database_url=DATABASE_URL, https_port=free_port(), http_port=free_port(),
                 web_port=free_port(), web_workers=WEB_WORKERS, log_to_files=True, **options)


class Stacks:
    """Both stacks on one fresh database, started on entry and stopped, with the database dropped, on exit."""

    def __enter__(self):
        folder = Path(tempfile.mkdtemp(prefix="pathways-load-"))
        self.pathways = _stack(folder / "pathways", settings=QUIET)
        self.bare = _stack(folder / "bare", with_worker=False, wsgi_app="django.core.wsgi:get_wsgi_application()",
                           settings={**QUIET, "DJANGO_SETTINGS_MODULE": "_bare_site",
                                     "PYTHONPATH": str(ROOT / "benchmarks"),
                                     "PATHWAYS_SECRET_KEY_FILE": str(folder / "pathways" / "keys" / "secret_key")})
        drop_database(DATABASE_URL)
        self.pathways.prepare(demo=False)  # the bare site reads the same database, with no tables of its own
        self._running = ExitStack()
        self._running.enter_context(self.pathways)
        self._running.enter_context(self.bare)
        return self

    def __exit__(self, *exc):
        self._running.close()
        drop_database(DATABASE_URL)

    @staticmethod
    def cpu_seconds(stack: Stack) -> float:
        """User and system CPU time of a stack's gunicorn workers so far: those serving now, and those gunicorn
        has already replaced (max_requests), which the master's own counters hold once it has reaped them."""
        master = stack.processes["web"].pid

        def times(pid, *fields) -> int:
            values = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            return sum(int(values[field - 3]) for field in fields)  # stat's fields, counted from 1

        ticks = times(master, 16, 17)  # cutime, cstime: children that have ended
        for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split():
            try:
                ticks += times(pid, 14, 15)  # utime, stime
            except FileNotFoundError:
                pass  # replaced just now: counted with the master's next reading
        return ticks / os.sysconf("SC_CLK_TCK")


def signed_in_cookies(stack: Stack, *, email: str, password: str) -> tuple[str, str]:
    """Sign in through the login form over HTTPS, as a browser would; the session and CSRF cookies."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(jar),
        urllib.request.HTTPSHandler(context=ssl.create_default_context(cafile=str(stack.ca_file))))
    login = f"{stack.url}/account/login/"
    page = opener.open(login).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": email, "password": password})
    opener.open(urllib.request.Request(login, data=form.encode(), headers={"Referer": login, "Origin": stack.url}))
    cookies = {cookie.name: cookie.value for cookie in jar}
    return cookies["sessionid"], cookies["csrftoken"]
