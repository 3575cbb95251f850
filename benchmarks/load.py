"""Load on the production stack, compared with bare Django served the same way in the same run.

Pathways (production settings, PostgreSQL) and the bare site in benchmarks/_bare_site.py each run under gunicorn
with deploy/gunicorn.conf.py (two sync workers, the yardstick's) behind Caddy with deploy/Caddyfile.local, on
one database. `wrk`, a second process on loopback, loads one page at a time at concurrency 8. Rounds interleave
the pages, so a slow spell of the machine falls on all of them, and each figure is the median over the rounds.
A page's ratio is its req/s over the bare view's.

Server CPU per request is the gunicorn workers' own CPU time (from /proc; Caddy, PostgreSQL and wrk are left
out) over the requests served. The progress page of a person with ten years of history against one with one
year tells whether that page grows with history.

Needs PostgreSQL (PATHWAYS_BENCH_POSTGRES, default postgres://postgres@127.0.0.1:5432; the benchmark makes and
drops its own database, pathways_bench_load), and Debian's caddy and wrk (`make bench` installs them when missing).
"""
import json
import os
import re
import statistics
import subprocess  # nosec B404  # the benchmark starts the stack it measures
import tempfile

from _history import PASSWORD, person_with_history
from _stack import Stacks, signed_in_cookies

ROUNDS = int(os.environ.get("PATHWAYS_BENCH_ROUNDS", "5"))
SECONDS = int(os.environ.get("PATHWAYS_BENCH_SECONDS", "5"))
CONCURRENCY = 8

# wrk's own Lua: the request to repeat, and a summary it prints as JSON when the run ends.
WRK_SCRIPT = """
wrk.method = os.getenv("BENCH_METHOD")
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
wrk.headers["Origin"] = os.getenv("BENCH_ORIGIN")
wrk.headers["Referer"] = os.getenv("BENCH_ORIGIN") .. "/"
wrk.headers["Accept-Encoding"] = "gzip"
if wrk.method == "POST" then wrk.headers["Content-Type"] = "application/x-www-form-urlencoded" end
statuses = {}
response = function(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
done = function(summary, latency, requests)
  io.write(string.format('BENCH {"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status
      + summary.errors.timeout))
end
"""


def wrk(url: str, *, cookie: str = "", method: str = "GET", body: str = "", origin: str) -> dict:
    """One run of wrk against one URL; requests per second, p50 and p95 in milliseconds."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    env = {**os.environ, "BENCH_METHOD": method, "BENCH_BODY": body, "BENCH_COOKIE": cookie, "BENCH_ORIGIN": origin}
    finished = subprocess.run(  # nosec B603, B607  # wrk from Debian, our own arguments
        ["wrk", "-t2", f"-c{CONCURRENCY}", f"-d{SECONDS}s", "--latency", "-s", script.name, url],
        env=env, capture_output=True, text=True, check=True)
    os.unlink(script.name)
    figures = json.loads(re.search(r"^BENCH (.*)$", finished.stdout, re.M).group(1))
    if figures["errors"]:
        raise SystemExit(f"wrk saw {figures['errors']} errors loading {url}:\n{finished.stdout}")
    figures["rps"] = figures["requests"] / figures["seconds"]
    return figures


def main():
    with Stacks() as stacks:
        django_setup(stacks.pathways)
        one_year = person_with_history(email="one.year@example.org", years=1)
        ten_years = person_with_history(email="ten.years@example.org", years=10)
        cookies = {person: signed_in_cookies(stacks.pathways, email=person.email, password=PASSWORD)
                   for person in (one_year, ten_years)}
        origin, bare = stacks.pathways.url, stacks.bare.url
        session, csrf = cookies[one_year]
        cookie = f"sessionid={session}; csrftoken={csrf}"
        checkin = f"csrfmiddlewaretoken={csrf}&mood=4&cravings=2&sleep_hours=7&energy=3&note="
        def measured(stack, url, **options):
            def run():
                before = stacks.cpu_seconds(stack)
                figures = wrk(url, **options)
                figures["cpu_ms"] = (stacks.cpu_seconds(stack) - before) * 1000 / figures["requests"]
                return figures
            return run

        pages = {
            "bare": measured(stacks.bare, f"{bare}/bare/", origin=bare),
            "home": measured(stacks.pathways, f"{origin}/plan/", cookie=cookie, origin=origin),
            "checkin_post": measured(stacks.pathways, f"{origin}/checkin/", cookie=cookie, method="POST",
                                     body=checkin, origin=origin),
            "progress": measured(stacks.pathways, f"{origin}/people/progress/", cookie=cookie, origin=origin),
        }
        for page in pages.values():  # warm every worker's templates and connections
            page()
        runs: dict[str, list[dict]] = {name: [] for name in pages}
        for _ in range(ROUNDS):
            for name, page in pages.items():
                runs[name].append(page())
        cpu = {}
        for label, person in (("1y", one_year), ("10y", ten_years)):
            session, csrf = cookies[person]
            progress = measured(stacks.pathways, f"{origin}/people/progress/",
                                cookie=f"sessionid={session}; csrftoken={csrf}", origin=origin)
            cpu[label] = statistics.median(progress()["cpu_ms"] for _ in range(ROUNDS))
    report(runs, cpu)


def django_setup(stack) -> None:
    """This process uses the stack's database and settings, to make the people whose pages are loaded."""
    os.environ.update(stack.environment())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pathways.config.settings")
    import django

    django.setup()


def report(runs: dict[str, list[dict]], cpu: dict[str, float]) -> None:
    median = {name: {key: statistics.median(run[key] for run in page_runs) for key in ("rps", "p50", "p95", "cpu_ms")}
              for name, page_runs in runs.items()}
    for name, figures in median.items():
        print(f"load_{name}_rps: {figures['rps']:.1f} req/s")
        print(f"load_{name}_p50_ms: {figures['p50']:.1f} ms")
        print(f"load_{name}_p95_ms: {figures['p95']:.1f} ms")
        print(f"load_{name}_server_cpu_ms: {figures['cpu_ms']:.2f} ms")
    for name in ("home", "checkin_post", "progress"):
        print(f"{name}_vs_bare_ratio: {median[name]['rps'] / median['bare']['rps']:.2f} ratio")
    print(f"progress_1y_cpu_ms: {cpu['1y']:.1f} ms")
    print(f"progress_10y_cpu_ms: {cpu['10y']:.1f} ms")
    print(f"progress_10y_vs_1y_cpu_ratio: {cpu['10y'] / cpu['1y']:.2f} ratio")


if __name__ == "__main__":
    main()
