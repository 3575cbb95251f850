"""CSRF: every POST route, posted by someone allowed to use it but without the CSRF token, is refused.

The routes and who may use them come from the access matrix. The client is the allowed user's own
signed-in session (their cookies), with Django's CSRF checks on as in a real browser: a cross-site form
(no token) and an htmx request without its X-CSRFToken header both get 403, and no table gains or loses a
row and nothing of Pat's changes. A last check shows the same post with the token is accepted, so the
403s come from the missing token and not from something else.
"""
from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from pathways.circle.tests import test_access_matrix as matrix

from .conftest import row_counts

POST_ROUTES = sorted(name for name, case in matrix.MATRIX.items() if any(t.method == "post" for t in case.tries))


def _poster(case: matrix.Case) -> str:
    """Someone the row lets use the route: Pat if she may, else another signed-in role, else a visitor."""
    if "pat" in case.who:
        return "pat"
    signed_in = sorted(case.who - matrix.SIGNED_OUT)
    return signed_in[0] if signed_in else matrix.ANONYMOUS


def _csrf_client(world_client: Client) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.cookies = world_client.cookies
    return client


@pytest.mark.parametrize("name", POST_ROUTES)
def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(name, scenario, clients):
    case = matrix.MATRIX[name]
    role = _poster(case)
    url = reverse(name, kwargs=case.kwargs(scenario))
    client = _csrf_client(clients[role])
    client.get(url)  # a page visit sets the CSRF cookie, as the attacker's victim would have it
    # The forms' data first: building it may set up what it names (a row the count must not blame on the post).
    posts = [attempt.data(scenario) for attempt in case.tries if attempt.method == "post"]
    before, pats_before = row_counts(), matrix.pats_state(scenario)
    for data in posts:
        plain = client.post(url, data)
        htmx = client.post(url, data, headers={"HX-Request": "true"})
        assert (plain.status_code, htmx.status_code) == (403, 403), f"{role} POST {url}"
    assert row_counts() == before
    assert matrix.pats_state(scenario) == pats_before


def test_the_same_post_with_the_token_is_accepted(scenario, clients):
    """The control: with the token from the page, Pat's post goes through (a win is added)."""
    client = _csrf_client(clients["pat"])
    token = client.get(reverse("plans:wins")).context["csrf_token"]
    data = {"text": "Walked to the sea", "occurred_on": matrix.today(scenario)}
    assert client.post(reverse("plans:wins"), data).status_code == 403
    response = client.post(reverse("plans:wins"), {**data, "csrfmiddlewaretoken": str(token)})
    assert response.status_code == 302
    response = client.post(reverse("plans:wins"), data, headers={"X-CSRFToken": str(token), "HX-Request": "true"})
    assert response.status_code in (200, 302)
