"""No cache may keep a copy of anything personal; static files keep their caching."""
import pytest
from django.urls import reverse

from pathways.plans import services as plan_services


@pytest.mark.parametrize("url", ["/plan/", "/safety/", "/circle/access-log/disclosures.csv", "/people/progress/"])
def test_signed_in_responses_are_never_stored(pat_client, url):
    response = pat_client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_the_accounting_of_disclosures_download_is_not_stored(pat_client):
    response = pat_client.get("/circle/access-log/disclosures.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "no-store"


def test_an_htmx_partial_is_not_stored(pat_client, pat):
    goal = plan_services.goal_create(plan=pat.plan, actor=pat, dimension="health", title="Sleep better",
                                     first_steps=["Phone out of the bedroom"])
    step = goal.steps.get()
    response = pat_client.post(reverse("plans:step_action", args=[step.pk]), {"action": "done", "next": "/plan/"},
                               HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "<html" not in response.content.decode()
    assert response["Cache-Control"] == "no-store"


def test_a_redirect_for_a_signed_in_person_is_not_stored(pat_client):
    response = pat_client.get("/")
    assert response.status_code == 302
    assert response["Cache-Control"] == "no-store"


def test_html_pages_are_not_stored_when_signed_out_either(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_static_files_keep_their_caching(client, pat):
    client.force_login(pat)  # even for a signed-in person: a stylesheet holds nothing personal
    response = client.get("/static/pathways/pathways.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "max-age=" in response["Cache-Control"]
