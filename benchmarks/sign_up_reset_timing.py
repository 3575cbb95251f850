"""Whether sign-up and password reset take as long for an address that has an account as for one that has not.

Both only queue a row in the outbox for the worker (people/account_mail.py), the same row either way, so the two should be
within noise; a large gap would let someone learn which addresses have accounts by timing the forms. The
queue is emptied between attempts (not timed), so the hourly limits never answer early; existing and unknown
attempts alternate.
"""
import statistics
import time

from _setup import django_with_fresh_database

django_with_fresh_database()

from django.test import Client  # noqa: E402

from pathways.outbox.models import OutgoingEmail  # noqa: E402
from pathways.people.models import PendingSignUp  # noqa: E402
from pathways.people.services import person_sign_up  # noqa: E402

RUNS = 20
EXISTING = "bench@example.org"


def timed_post(client: Client, path: str, data: dict, ip: str) -> float:
    start = time.perf_counter()
    response = client.post(path, data, REMOTE_ADDR=ip)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 302, response.status_code  # on to "check your email", either way
    OutgoingEmail.objects.all().delete()
    PendingSignUp.objects.all().delete()
    return elapsed


def sign_up(client: Client, email: str, ip: str) -> float:
    return timed_post(client, "/signup/", {"email": email, "password": "lantern harbour meadow",
                                           "preferred_name": "Bench"}, ip)


def reset(client: Client, email: str, ip: str) -> float:
    return timed_post(client, "/account/password_reset/", {"email": email}, ip)


def compare(name: str, attempt, client: Client) -> None:
    attempt(client, EXISTING, "10.255.0.1")  # warm templates and the hasher
    attempt(client, "nobody@example.org", "10.255.0.2")
    existing, unknown = [], []
    for run in range(RUNS):
        existing.append(attempt(client, EXISTING, f"10.1.0.{run + 1}"))
        unknown.append(attempt(client, f"nobody{run}@example.org", f"10.2.0.{run + 1}"))
    existing_ms, unknown_ms = statistics.median(existing), statistics.median(unknown)
    print(f"{name}_existing_account_median_ms: {existing_ms:.1f} ms")
    print(f"{name}_unknown_account_median_ms: {unknown_ms:.1f} ms")
    print(f"{name}_timing_gap_ms: {abs(existing_ms - unknown_ms):.1f} ms")


def main():
    person_sign_up(email=EXISTING, password="bench passphrase 2026")
    client = Client()
    compare("sign_up", sign_up, client)
    compare("password_reset", reset, client)


if __name__ == "__main__":
    main()
