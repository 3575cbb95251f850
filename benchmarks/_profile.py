"""Where one page's time goes: query count, median server time and cProfile's top lines, run by hand.

    .venv/bin/python benchmarks/_profile.py /plan/
    .venv/bin/python benchmarks/_profile.py /checkin/ --post
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/_profile.py /plan/

A realistic person (about four goals in each dimension with six steps each, some wins, two supporters with
grants, a few unread notifications, signs watched by early warning) is built in a fresh database: on PostgreSQL
when DATABASE_URL is given, in a database of this script's own (pathways_bench_profile, made again each run),
else SQLite in a temporary folder. Settings are production's (PATHWAYS_ENV=production, requests over HTTPS),
so the profile shows what a deployed server does, connection handling included.

Compare runs of this same script only. On Python 3.11 a page's time also depends on how deep in the stack it
renders: a loop whose calls keep crossing a boundary of the interpreter's frame stack allocates and frees a
chunk on each crossing (CPython issue gh-142183, fixed in later versions), and the test client's depth is not a
server's. The leading underscore keeps it out of `make bench`: it prints a profile to read, not figures.
"""
import argparse
import cProfile
import io
import os
import pstats
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from _history import full_plan

ROOT = Path(__file__).resolve().parent.parent
OWN_DATABASE = "pathways_bench_profile"
GOALS_PER_DIMENSION = 4
STEPS_PER_GOAL = 6
WINS = 25
UNREAD_NOTIFICATIONS = 3
CHECKIN_ANSWERS = {"mood": "3", "cravings": "2", "sleep_hours": "7", "sleep_quality": "4", "energy": "3",
                   "hungry": "no", "angry": "no", "lonely": "yes", "tired": "no", "connected": "yes",
                   "self_care": "yes", "self_harm_thoughts": "no", "note": "A steady day."}


def _fresh_postgres(url: str) -> str:
    """Make this script's own database again on the server DATABASE_URL names; return its URL."""
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{OWN_DATABASE}"')
        server.execute(f'CREATE DATABASE "{OWN_DATABASE}"')
    return urlunsplit(parts._replace(path="/" + OWN_DATABASE))


def django_in_production_mode(database_url: str | None) -> None:
    from cryptography.fernet import Fernet

    sys.path.insert(0, str(ROOT / "src"))
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "pathways.config.settings",
        "PATHWAYS_ENV": "production",
        "PATHWAYS_DATA_DIR": tempfile.mkdtemp(prefix="pathways-profile-"),
        "PATHWAYS_SECRET_KEY": secrets.token_urlsafe(50),
        "PATHWAYS_FIELD_KEYS": Fernet.generate_key().decode(),
        "PATHWAYS_ACCESS_LOG_KEYS": secrets.token_urlsafe(50),
        "PATHWAYS_ACCESS_LOG_CHECKPOINT": "off",
        "PATHWAYS_ALLOWED_HOSTS": "testserver",
        "PATHWAYS_LOG_LEVEL": "WARNING",
    })
    os.environ.pop("PATHWAYS_DEBUG", None)
    if database_url:
        os.environ["DATABASE_URL"] = _fresh_postgres(database_url)
    else:
        os.environ.pop("DATABASE_URL", None)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # production pages link to the collected names


def build_person():
    """The person whose pages are profiled, with a full plan, a circle and an inbox."""
    from pathways.checkins import services as checkins
    from pathways.circle import services as circle
    from pathways.circle.models import SupporterRole
    from pathways.notifications.services import notify
    from pathways.people.models import User
    from pathways.people.services import person_sign_up

    person = person_sign_up(email="profile@example.org", password="profile passphrase 2026", preferred_name="Robin")
    full_plan(person, goals_per_dimension=GOALS_PER_DIMENSION, steps_per_goal=STEPS_PER_GOAL, wins=WINS)
    for name, categories in (("Sam", {"plan": "suggest", "safety_plan": "view"}),
                             ("Jo", {"plan": "view", "checkins": "view", "early_warning": "view"})):
        supporter = User.objects.create_user(email=f"{name.lower()}@example.org", password="supporter passphrase 2026",
                                             preferred_name=name)
        _, token = circle.invitation_create(person=person, role=SupporterRole.PEER_SUPPORTER, name=name)
        member = circle.invitation_accept(token=token, supporter=supporter)
        circle.grant_create(member=member, items=categories, purpose="Support", signature="Robin")
    for n in range(UNREAD_NOTIFICATIONS):
        notify(recipient=person, kind="message", title=f"Something new {n}", email=False)
    sign = checkins.warning_sign_add(person=person, stage="emotional", sign="I stop sleeping well")
    checkins.warning_watch_set(warning_sign=sign, rule="sleep_below_usual")
    return person


def signed_in_client(person):
    from django.test import Client

    client = Client()
    client.force_login(person)
    return client


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", help="the page, e.g. /plan/")
    parser.add_argument("--post", action="store_true", help="POST a daily check-in's answers instead of a GET")
    parser.add_argument("--runs", type=int, default=200, help="profiled requests (default 200)")
    parser.add_argument("--lines", type=int, default=25, help="profile lines in each listing (default 25)")
    parser.add_argument("--save", metavar="FILE", help="also write the raw profile there, for pstats or snakeviz")
    args = parser.parse_args()
    django_in_production_mode(os.environ.get("DATABASE_URL"))

    from django.db import close_old_connections, connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in_client(build_person())

    def request():
        # The test client leaves the database connection open between requests; a WSGI server does not: it
        # closes connections older than CONN_MAX_AGE when a request starts and ends. Do what the server does.
        close_old_connections()
        if args.post:
            response = client.post(args.path, CHECKIN_ANSWERS, secure=True)
            assert response.status_code == 302, response.status_code
        else:
            response = client.get(args.path, secure=True)
            assert response.status_code == 200, response.status_code
        close_old_connections()

    for _ in range(20):  # warm: templates compiled, URL resolvers filled, the session's stored answers in place
        request()
    with CaptureQueriesContext(connection) as captured:
        request()
    queries = list(captured.captured_queries)  # copied now: the next request empties the connection's log
    timings, cpu = [], []
    for _ in range(args.runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        request()
        timings.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.runs):
        request()
    profiler.disable()

    method = "POST" if args.post else "GET"
    print(f"page: {method} {args.path} on {connection.vendor}, {args.runs} requests")
    print(f"queries: {len(queries)}")
    for query in queries:
        print(f"  {query['sql'][:150]}")
    print(f"median_ms: {statistics.median(timings):.2f} ms")
    # This process's own CPU time: steadier than the clock on a busy machine; the database's work is not in it.
    print(f"median_cpu_ms: {statistics.median(cpu):.2f} ms")
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(args.lines)
        text = out.getvalue()
        print(f"\n--- top {args.lines} by {order} ---")
        print(text[text.find("   ncalls"):].rstrip())
    # The same by cumulative time, only our own code and the database connection: the Django and middleware
    # frames every request passes through hide them in the first listing.
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(r"/pathways/|\(connect\)", args.lines)
    text = out.getvalue().replace(str(ROOT / "src") + "/", "").replace(str(ROOT) + "/", "")
    print(f"\n--- ours and connecting, top {args.lines} by cumulative ---")
    print(text[text.find("   ncalls"):].rstrip())
    if args.save:
        profiler.dump_stats(args.save)


if __name__ == "__main__":
    main()
