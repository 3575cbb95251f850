"""The two-step check on every request: one query, asked afresh, so each change counts at the very next request."""
from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import give_authenticator
from pathways.circle import services as circle
from pathways.circle.models import SupporterRole
from pathways.verification.requirement import SecondStep, second_step_of

TWO_FACTOR = reverse("verification:two_factor")


def in_circle(person, supporter, role=SupporterRole.ALLY):
    _, token = circle.invitation_create(person=person, role=role, name="Someone")
    return circle.invitation_accept(token=token, supporter=supporter)


def grant(member, *categories):
    return circle.grant_create(member=member, items=dict.fromkeys(categories, "view"), purpose="Help", signature="Pat")


def test_both_answers_cost_one_query(pat, lee, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert second_step_of(pat) == SecondStep(has_app=False, required=False)
    give_authenticator(lee)
    with django_assert_num_queries(1):
        assert second_step_of(lee) == SecondStep(has_app=True, required=True)


def test_a_request_of_a_session_without_the_code_asks_once(pat):
    client = Client()
    client.force_login_password_only(pat)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("plans:plan")).status_code == 200
    asked = [query["sql"] for query in queries if "otp_totp_totpdevice" in query["sql"]]
    assert len(asked) == 1 and "circle_grant" in asked[0] and "people_membership" in asked[0]


def test_what_is_granted_decides_each_time(pat, sam):
    member = in_circle(pat, sam)
    grant(member, "plan", "safety_plan")
    assert not second_step_of(sam).required
    mixed = grant(member, "plan", "checkins")  # one grant, one item of it beyond the plans
    assert second_step_of(sam).required
    circle.grant_revoke(grant=mixed)
    assert not second_step_of(sam).required
    ending = grant(member, "notes")
    ending.expires_at = timezone.now() - timedelta(minutes=1)
    ending.save(update_fields=["expires_at"])
    assert not second_step_of(sam).required
    grant(member, "reach_me")
    assert second_step_of(sam).required
    circle.member_remove(member=member)
    assert not second_step_of(sam).required


def test_an_app_added_on_another_device_ends_a_session_without_the_code_at_its_next_request(pat):
    elsewhere = Client()
    elsewhere.force_login_password_only(pat)
    assert elsewhere.get(reverse("plans:plan")).status_code == 200
    give_authenticator(pat)  # set up on her phone a moment ago
    response = elsewhere.get(reverse("plans:plan"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert elsewhere.get(reverse("plans:plan"))["Location"].startswith(reverse("login"))


def test_a_supporter_granted_more_is_sent_to_set_up_the_app_at_their_next_request(pat, sam):
    member = in_circle(pat, sam)
    grant(member, "plan")
    supporter = Client()
    supporter.force_login_password_only(sam)
    caseload = reverse("reports:caseload")
    assert supporter.get(caseload).status_code == 200
    grant(member, "use_log")
    assert supporter.get(caseload)["Location"].startswith(TWO_FACTOR)
