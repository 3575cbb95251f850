"""The production stack on one machine: PostgreSQL, gunicorn, the notification worker and Caddy with `tls internal`.

`make serve` runs it in the foreground (`python deploy/stack.py`) until Ctrl-C; the smoke tests in
tests/production start the same stack on free ports with a database of their own. Everything runs in
production mode (PATHWAYS_ENV=production) with the deployed configuration files (deploy/gunicorn.conf.py,
deploy/Caddyfile.local and the site.caddy it shares with production); keys are read from files, as the
systemd units give them.
"""
import argparse
import ctypes
import http.client
import os
import signal
import ssl
import subprocess  # nosec B404  # starts the stack's own programs, never a shell
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

from pathways.lib.env import new_fernet_key, persistent_secret

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the venv's bin folder: its python runs this file
KEYS = {"secret_key": "PATHWAYS_SECRET_KEY", "field_keys": "PATHWAYS_FIELD_KEYS",
        "access_log_keys": "PATHWAYS_ACCESS_LOG_KEYS"}


def _die_with_parent() -> None:
    """In a child before it runs: if the stack's own process dies without stopping it, the kernel sends it
    SIGTERM (PR_SET_PDEATHSIG), so a killed test run leaves no server holding a port."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)


@dataclass
class Stack:
    folder: Path  # keys/, data/, static/, caddy/ and logs/ (when log_to_files) are kept here
    database_url: str  # a PostgreSQL database, created when missing
    https_port: int = 8443
    http_port: int = 8080
    web_port: int = 8001
    web_workers: int = 2
    worker_interval: float = 5.0
    log_to_files: bool = False  # else gunicorn and the worker write to this terminal (Caddy always to a file)
    settings: dict[str, str] = field(default_factory=dict)  # more settings, e.g. where email goes
    wsgi_app: str = ""  # another app in Pathways' place (the load benchmark's bare Django site); "" is Pathways
    with_worker: bool = True
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    log_files: list = field(default_factory=list, repr=False)

    @property
    def url(self) -> str:
        return f"https://localhost:{self.https_port}"

    @property
    def ca_file(self) -> Path:
        """The root certificate of Caddy's local authority, which signs the certificate for localhost."""
        return self.folder / "caddy" / "data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"

    @property
    def logs(self) -> Path:
        return self.folder / "logs"

    def environment(self) -> dict[str, str]:
        """Production settings, and nothing inherited that could change them (a test run's PATHWAYS_SECURE_COOKIES=0,
        a developer's DATABASE_URL): every PATHWAYS_*, DJANGO_* and DATABASE_URL variable comes from here."""
        inherited = {name: value for name, value in os.environ.items()
                     if not name.startswith(("PATHWAYS_", "DJANGO_")) and name != "DATABASE_URL"}
        keys = self.folder / "keys"
        return {
            **inherited,
            "PATHWAYS_ENV": "production",
            "DATABASE_URL": self.database_url,
            **{f"{variable}_FILE": str(keys / name) for name, variable in KEYS.items()},
            "PATHWAYS_DATA_DIR": str(self.folder / "data"),
            "PATHWAYS_STATIC_ROOT": str(self.folder / "static"),
            "PATHWAYS_ACCESS_LOG_CHECKPOINT": f"file:{self.folder / 'data' / 'access_log_checkpoints.txt'}",
            "PATHWAYS_ALLOWED_HOSTS": "localhost",
            "PATHWAYS_SITE_URL": self.url,
            "PATHWAYS_PROXY_SSL_HEADER": "X-Forwarded-Proto",
            "PATHWAYS_PROXY_COUNT": "1",
            "PATHWAYS_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
            "PATHWAYS_WEB_BIND": f"127.0.0.1:{self.web_port}",
            "PATHWAYS_WEB_WORKERS": str(self.web_workers),
            "PYTHONUNBUFFERED": "1",  # log files get each line as it is written, as the units' journal does
            **self.settings,
        }

    # --- Setting up ---------------------------------------------------------------------------------

    def prepare(self, *, demo: bool = True) -> None:
        """Keys (made once), the database (made when missing), migrations, static files and the demo."""
        new_keys = not (self.folder / "keys" / "field_keys").exists()
        for name in KEYS:  # each file 0600, written once and kept (pathways.lib.env)
            persistent_secret(self.folder / "keys" / name, **({"make": new_fernet_key} if name == "field_keys" else {}))
        (self.folder / "data").mkdir(parents=True, exist_ok=True)  # the access log's checkpoints go here
        if new_keys:
            # What an earlier try-out encrypted cannot be read with new keys (after `make clean`, or from
            # another checkout): start its database afresh rather than fail on every page.
            drop_database(self.database_url)
        create_database_if_missing(self.database_url)
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput", "--verbosity", "0")
        if demo:
            self.manage("load_demo")

    def manage(self, *arguments: str) -> None:
        if not self.log_to_files:
            subprocess.run([str(BIN / "python"), "manage.py", *arguments], cwd=ROOT,  # nosec B603
                           env=self.environment(), check=True)
            return
        self.logs.mkdir(parents=True, exist_ok=True)
        with open(self.logs / "manage.log", "ab") as log:
            subprocess.run([str(BIN / "python"), "manage.py", *arguments], cwd=ROOT,  # nosec B603
                           env=self.environment(), check=True, stdout=log, stderr=subprocess.STDOUT)

    # --- Running -----------------------------------------------------------------------------------

    def start(self) -> None:
        """gunicorn and the worker, then Caddy in front; returns once a page comes back over HTTPS."""
        self.logs.mkdir(parents=True, exist_ok=True)
        self._start("web", [str(BIN / "gunicorn"), "--config", str(ROOT / "deploy" / "gunicorn.conf.py"),
                            *([self.wsgi_app] if self.wsgi_app else [])])
        if self.with_worker:
            self._start("worker", [str(BIN / "python"), "manage.py", "run_worker", "--interval",
                                   str(self.worker_interval)])
        self._start("caddy", ["caddy", "run", "--config", str(ROOT / "deploy" / "Caddyfile.local"),
                              "--adapter", "caddyfile"], to_file=True, extra={
            "XDG_DATA_HOME": str(self.folder / "caddy" / "data"),  # its local authority, not in ~
            "XDG_CONFIG_HOME": str(self.folder / "caddy" / "config"),
            "PATHWAYS_HTTPS_PORT": str(self.https_port), "PATHWAYS_HTTP_PORT": str(self.http_port),
            "PATHWAYS_UPSTREAM": f"127.0.0.1:{self.web_port}"})
        try:
            self._wait_until_served()
        except BaseException:
            self.stop()  # nothing left holding a port when the stack did not come up
            raise

    def _start(self, name: str, command: list[str], *, to_file: bool = False, extra: dict | None = None) -> None:
        output = {}
        if to_file or self.log_to_files:
            self.log_files.append(open(self.logs / f"{name}.log", "ab"))  # closed in stop()
            output = {"stdout": self.log_files[-1], "stderr": subprocess.STDOUT}
        # Its own session: Ctrl-C in the terminal reaches only this process, which then stops each program
        # in turn with SIGTERM, the signal systemd sends (graceful for gunicorn, the worker and Caddy alike).
        self.processes[name] = subprocess.Popen(  # nosec B603
            command, cwd=ROOT, env={**self.environment(), **(extra or {})}, start_new_session=True,
            preexec_fn=_die_with_parent, **output)

    def _wait_until_served(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited with status {process.returncode} while starting"
                                       + (f"; see {self.logs / (name + '.log')}" if self.log_to_files else ""))
            if self.ca_file.exists():
                try:
                    if self.get("/healthz").status == 200:
                        return
                except OSError:
                    pass  # not listening yet, or Caddy still issuing its certificate
            time.sleep(0.2)
        raise RuntimeError(f"Pathways did not answer at {self.url}/healthz within {timeout:.0f} s")

    def get(self, path: str, headers: dict | None = None) -> http.client.HTTPResponse:
        """One request over HTTPS through Caddy, checking its certificate against the local authority."""
        context = ssl.create_default_context(cafile=str(self.ca_file))
        connection = http.client.HTTPSConnection("localhost", self.https_port, context=context, timeout=10)
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.read()
        connection.close()
        return response

    def stop(self) -> None:
        """Caddy first (no new requests), then gunicorn (its workers finish what they serve), then the worker
        (it finishes the email it is sending); each is killed only if it outlasts its grace."""
        for name, grace in (("caddy", 10), ("web", 40), ("worker", 70)):
            process = self.processes.pop(name, None)
            if process is None:
                continue
            process.terminate()
            try:
                process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        while self.log_files:
            self.log_files.pop().close()

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def create_database_if_missing(database_url: str) -> None:
    """CREATE DATABASE on the same server, connecting to its `postgres` database to do it."""
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as server:
        if server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            server.execute(f'CREATE DATABASE "{name}"')


def drop_database(database_url: str) -> None:
    parts = urlsplit(database_url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


def serve(arguments: list[str] | None = None) -> None:
    """`make serve`: prepare and run the stack until Ctrl-C."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=os.environ.get("PATHWAYS_SERVE_POSTGRES",
                                                             "postgres://postgres@127.0.0.1:5432/pathways_serve"),
                        help="the database (created when missing; default %(default)s)")
    parser.add_argument("--folder", type=Path, default=ROOT / "var" / "serve", help="keys, static files, Caddy's data")
    parser.add_argument("--https-port", type=int, default=8443)
    parser.add_argument("--http-port", type=int, default=8080)
    parser.add_argument("--web-port", type=int, default=8001, help="gunicorn, on 127.0.0.1")
    options = parser.parse_args(arguments)
    if urlsplit(options.postgres).path.lstrip("/") in {"", "postgres", "test"}:
        raise SystemExit("make serve needs a database of its own, not the server's `postgres` or the suite's `test`.")
    stack = Stack(folder=options.folder.resolve(), database_url=options.postgres, https_port=options.https_port,
                  http_port=options.http_port, web_port=options.web_port)
    try:
        stack.prepare()
    except psycopg.OperationalError as error:
        raise SystemExit(f"PostgreSQL did not answer at {options.postgres}: {error}\n"
                         "Start it (e.g. `pg_ctlcluster 15 main start`) or give --postgres.") from None
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stopped by a signal: still stop the three cleanly
    try:
        stack.start()
        print(_banner(stack), flush=True)
        while all(process.poll() is None for process in stack.processes.values()):
            time.sleep(0.5)
        stopped = [name for name, process in stack.processes.items() if process.poll() is not None]
        print(f"{', '.join(stopped)} stopped; stopping the rest.", file=sys.stderr)
    except KeyboardInterrupt:
        print("\nStopping Caddy, then gunicorn, then the worker...", flush=True)
    finally:
        stack.stop()


def _banner(stack: Stack) -> str:
    ca = stack.ca_file
    return f"""
Pathways is running in production mode on PostgreSQL, behind Caddy:

    {stack.url}/    (http://localhost:{stack.http_port}/ redirects there)

Sign in with a demo account listed above. Emails are printed here by the worker. Caddy's log is in
{stack.folder / 'logs' / 'caddy.log'}.

The certificate comes from Caddy's own local authority. To trust it (once; it is kept in {stack.folder}):
    curl:      curl --cacert {ca} {stack.url}/healthz
    Chromium:  Settings > Privacy and security > Security > Manage certificates > Authorities > Import: {ca}
    Firefox:   Settings > Privacy & Security > Certificates > View Certificates > Authorities > Import: {ca}
    system:    sudo cp {ca} /usr/local/share/ca-certificates/pathways-local.crt && sudo update-ca-certificates
or accept the browser's warning for this one site.

Ctrl-C stops Caddy, gunicorn and the worker.
"""


if __name__ == "__main__":
    serve()
