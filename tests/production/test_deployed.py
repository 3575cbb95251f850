"""Pathways as an organisation deploys it: production settings on PostgreSQL, gunicorn with
deploy/gunicorn.conf.py, the worker, and Caddy with the production site (deploy/site.caddy) in front,
reached over HTTPS with the certificate checked. Each test is what a person, a browser or an operator
would notice if the deployment were wrong."""
import http.client
import json
import os
import re
import signal
import ssl
import subprocess  # nosec B404  # caddy validate
import time
from pathlib import Path
from uuid import uuid4

import pytest

from deploy.stack import ROOT
from pathways.web.demo import DEMO_PASSWORD

from .visitor import Visitor

pytestmark = pytest.mark.production

PAT = "pat@demo.pathways.invalid"  # a person in the demo `make serve` loads
YEAR = 60 * 60 * 24 * 365
CHECKIN = {"mood": "4", "cravings": "2", "sleep_hours": "7", "sleep_quality": "4", "energy": "3", "hungry": "no",
           "angry": "no", "lonely": "no", "tired": "yes", "connected": "yes", "self_care": "yes",
           "self_harm_thoughts": "no"}


@pytest.fixture
def pat(stack):
    """Pat's browser, signed in through the login form."""
    visitor = Visitor(stack)
    signed_in = visitor.submit("/account/login/", {"username": PAT, "password": DEMO_PASSWORD})
    assert signed_in.status == 302, signed_in.text
    assert signed_in.headers["Location"] != "/account/login/"
    return visitor


def test_the_health_check_answers_over_https_with_a_certificate_from_the_local_authority(stack):
    response = Visitor(stack).get("/healthz")

    assert response.status == 200
    assert json.loads(response.text) == {"status": "ok"}
    # The certificate is really checked: without Caddy's root certificate the connection is refused.
    unchecked = http.client.HTTPSConnection("localhost", stack.https_port, context=ssl.create_default_context())
    with pytest.raises(ssl.SSLCertVerificationError):
        unchecked.request("GET", "/healthz")


def test_plain_http_is_sent_to_https_with_the_same_path_and_query(stack):
    connection = http.client.HTTPConnection("localhost", stack.http_port, timeout=10)
    connection.request("GET", "/account/login/?next=/plan/")
    response = connection.getresponse()

    assert response.status in {301, 308}
    assert response.headers["Location"] == f"{stack.url}/account/login/?next=/plan/"


def test_pages_are_served_with_the_security_headers(stack):
    headers = Visitor(stack).get("/account/login/").headers

    assert headers["Strict-Transport-Security"] == f"max-age={YEAR}; includeSubDomains"
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"


def test_the_session_and_csrf_cookies_travel_over_https_only_out_of_scripts_reach(stack):
    visitor = Visitor(stack)
    login_page = visitor.get("/account/login/")
    signed_in = visitor.submit("/account/login/", {"username": PAT, "password": DEMO_PASSWORD})

    for cookie in (login_page.set_cookie("csrftoken"), signed_in.set_cookie("sessionid")):
        flags = {flag.strip().lower() for flag in cookie.split(";")[1:]}
        assert {"secure", "httponly", "samesite=lax"} <= flags, cookie


def test_a_forwarded_proto_a_client_sends_is_replaced_by_caddys_own(stack):
    # Were it passed on, Django would take this HTTPS request for plain HTTP and redirect it forever.
    response = Visitor(stack).get("/account/login/", headers={"X-Forwarded-Proto": "http"})

    assert response.status == 200


def test_a_person_signs_in_checks_in_and_sees_their_answers(pat):
    note = f"A walk by the river with my sister ({uuid4().hex[:8]})"
    saved = pat.submit("/checkin/", {**CHECKIN, "note": note})
    assert saved.status == 302, saved.text

    again = pat.get("/checkin/")
    assert again.status == 200
    assert note in again.text  # decrypted from PostgreSQL and shown back in the form


def test_the_safety_plan_page_is_served(pat):
    response = pat.get("/safety/")

    assert response.status == 200
    assert "<h1" in response.text and "safety plan" in response.text.lower()


def test_static_files_have_hashed_names_cached_for_a_year_and_gzip_when_asked(stack):
    page = Visitor(stack).get("/account/login/").text
    stylesheet = re.search(r'<link rel="stylesheet" href="(/static/[^"]+\.css)"', page).group(1)
    assert re.search(r"\.[0-9a-f]{12}\.css$", stylesheet), stylesheet  # collectstatic's name, with its hash

    response = Visitor(stack).get(stylesheet, headers={"Accept-Encoding": "gzip"})

    assert response.status == 200
    assert response.headers["Cache-Control"] == f"public, max-age={YEAR}, immutable"
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_are_compressed_when_asked(stack):
    response = Visitor(stack).get("/account/login/", headers={"Accept-Encoding": "gzip"})

    assert response.headers["Content-Encoding"] == "gzip"


def test_the_access_log_records_paths_never_query_strings(stack):
    path, query = f"/no-such-page-{uuid4().hex}/", f"search={uuid4().hex}"
    Visitor(stack).get(f"{path}?{query}")

    wait_for_line(stack.logs / "web.log", f'"GET {path}" 404')
    assert query not in (stack.logs / "web.log").read_text()  # nor in Django's own "Not Found" line
    assert query not in (stack.logs / "caddy.log").read_text()


def test_the_worker_emails_a_password_reset_link_that_opens_through_the_proxy(stack, inbox):
    asked = Visitor(stack).submit("/account/password_reset/", {"email": PAT})
    assert asked.status == 302

    text = inbox.wait_for(to=PAT, saying="/account/reset/")
    assert text is not None, "no password-reset email reached the mail server"
    link = re.search(rf"{re.escape(stack.url)}(/account/reset/\S+)", text).group(1)
    opened = Visitor(stack).get(link)
    assert opened.status == 302  # Django's reset link moves its token into the session, then asks for a password
    assert Visitor(stack).get("/healthz").status == 200


def test_a_graceful_reload_replaces_every_web_worker_without_a_failed_request(stack):
    master = stack.processes["web"].pid
    before = web_workers(master)

    os.kill(master, signal.SIGHUP)  # what `systemctl reload pathways-web` sends
    statuses = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (len(web_workers(master) & before) or len(web_workers(master)) < 2):
        statuses.add(Visitor(stack).get("/healthz").status)
    statuses.add(Visitor(stack).get("/healthz").status)

    assert not web_workers(master) & before
    assert statuses == {200}


def web_workers(master: int) -> set[str]:
    return set(Path(f"/proc/{master}/task/{master}/children").read_text().split())


def wait_for_line(path: Path, text: str, timeout: float = 10) -> None:
    """Until the log holds TEXT (gunicorn writes a request's line after the response)."""
    deadline = time.monotonic() + timeout
    while text not in path.read_text():
        assert time.monotonic() < deadline, f"no {text!r} in {path}"
        time.sleep(0.1)


def test_the_production_caddyfile_is_valid_once_given_a_host_name(tmp_path):
    """The one configuration file the stack above does not use: Caddy reads it as the guide installs it."""
    caddyfile = tmp_path / "Caddyfile"
    caddyfile.write_text(f"import {ROOT / 'deploy' / 'Caddyfile'}\n")  # as /etc/caddy/Caddyfile holds it
    environment = {**{name: value for name, value in os.environ.items() if name != "PATHWAYS_HOST"},
                   "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config")}

    def validate(**names):
        return subprocess.run(["caddy", "validate", "--config", str(caddyfile), "--adapter", "caddyfile"],  # nosec
                              env={**environment, **names}, capture_output=True, text=True, check=False)

    valid = validate(PATHWAYS_HOST="pathways.example.org")
    assert valid.returncode == 0, valid.stderr
    assert validate().returncode != 0  # no host name: Caddy refuses to start rather than serve no site
