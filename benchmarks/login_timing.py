"""Whether a failed login takes as long for an address with no account as for a wrong password.

Django's ModelBackend runs the password hasher for an unknown address too, so the two should be within noise;
a large gap would let someone learn which addresses have accounts by timing the login form. Every attempt comes
from its own IP address, so the lockout never answers early; wrong and unknown attempts alternate.
"""
import statistics
import time

from _setup import django_with_fresh_database

django_with_fresh_database()

from django.test import Client  # noqa: E402

from pathways.people.services import person_sign_up  # noqa: E402

RUNS = 40


def attempt(client: Client, email: str, ip: str) -> float:
    start = time.perf_counter()
    response = client.post("/account/login/", {"username": email, "password": "not the right passphrase"},
                           REMOTE_ADDR=ip)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, response.status_code  # the form again, with the one error message
    return elapsed


def main():
    person_sign_up(email="bench@example.org", password="bench passphrase 2026")
    client = Client()
    attempt(client, "bench@example.org", "10.255.0.1")  # warm templates and the hasher
    attempt(client, "nobody@example.org", "10.255.0.2")
    known, unknown = [], []
    for run in range(RUNS):
        known.append(attempt(client, "bench@example.org", f"10.1.{run // 250}.{run % 250 + 1}"))
        unknown.append(attempt(client, f"nobody{run}@example.org", f"10.2.{run // 250}.{run % 250 + 1}"))
    known_ms, unknown_ms = statistics.median(known), statistics.median(unknown)
    print(f"login_known_account_median_ms: {known_ms:.1f} ms")
    print(f"login_unknown_account_median_ms: {unknown_ms:.1f} ms")
    print(f"login_timing_gap_ms: {abs(known_ms - unknown_ms):.1f} ms")


if __name__ == "__main__":
    main()
