"""Trauma-informed touches: a calm way out of sensitive pages, a note before questions about harm that says
truthfully who an answer reaches, and every question left blank without a "why?"."""
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from pathways.checkins import services as checkins
from pathways.checkins.models import DailyCheckIn
from pathways.circle import services as circle_services
from pathways.circle.models import AlertPreference, CircleMember, SupporterRole
from pathways.people.models import User
from pathways.safety.models import SafetyPlan
from pathways.safety.tests.test_alert_rule import risky_questionnaire

QUICK_EXIT = re.compile(r'<a class="quick-exit" href="([^"]*)" rel="noreferrer" data-quick-exit>Leave this page quickly</a>')
QUICK_EXIT_SCRIPT = "pathways/quick-exit.js"

SENSITIVE = ["safety:plan", "safety:edit", "safety:alert_settings", "checkins:daily", "checkins:recovery",
             "questionnaires:list", "warning_signs:plan", "conversations:list", "notes:list"]
ORDINARY = ["plans:plan", "circle:circle", "notifications:list", "signins:sessions"]


def quick_exit_href(response) -> str | None:
    found = QUICK_EXIT.search(response.content.decode())
    return found.group(1) if found else None


def join_with(person, supporter, name: str, items: dict, alert_round: int = 1) -> CircleMember:
    _, token = circle_services.invitation_create(person=person, role=SupporterRole.PEER_SUPPORTER, name=name)
    member = circle_services.invitation_accept(token=token, supporter=supporter)
    circle_services.grant_create(member=member, items=items, purpose="Support", signature="Pat")
    CircleMember.objects.filter(pk=member.pk).update(alert_round=alert_round)
    return member


def supporter(email: str, name: str) -> User:
    return User.objects.create_user(email=email, password="a long enough passphrase", preferred_name=name)


# --- Leave this page quickly -----------------------------------------------------------------------------

@pytest.mark.parametrize("name", SENSITIVE)
def test_sensitive_pages_offer_a_quick_exit_and_are_never_stored(pat_client, settings, name):
    settings.PATHWAYS_QUICK_EXIT_URL = "https://weather.example/today"
    response = pat_client.get(reverse(name))
    assert response.status_code == 200
    assert quick_exit_href(response) == "https://weather.example/today"
    assert QUICK_EXIT_SCRIPT in response.content.decode()
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("name", ORDINARY)
def test_ordinary_pages_have_no_quick_exit(pat_client, name):
    response = pat_client.get(reverse(name))
    assert response.status_code == 200
    assert quick_exit_href(response) is None
    assert QUICK_EXIT_SCRIPT not in response.content.decode()


def test_the_crisis_lines_offer_a_quick_exit_to_someone_not_signed_in(client, db):
    response = client.get(reverse("safety:crisis_lines"))
    assert quick_exit_href(response) is not None
    assert response["Cache-Control"] == "no-store"


def test_an_organisations_admin_pages_in_a_sensitive_app_have_none(client, ada, organisation):
    client.force_login(ada)
    response = client.get(reverse("safety:local_services", args=[organisation.pk]))
    assert response.status_code == 200 and quick_exit_href(response) is None


def test_the_quick_exit_comes_first_in_the_header(pat_client):
    page = pat_client.get(reverse("safety:plan")).content.decode()
    header = page[page.index('<header class="site-header">'):page.index("</header>")]
    assert header.index("Leave this page quickly") < header.index('class="brand"') < header.index('class="help-now"')


@pytest.mark.parametrize("flag, shown", [(True, True), (False, False)])
def test_a_view_can_switch_it_on_or_off_through_its_context(db, flag, shown):
    request = RequestFactory().get(reverse("safety:plan"))  # a sensitive address: the view's word wins
    request.user = AnonymousUser()
    page = render_to_string("base.html", {"quick_exit": flag}, request=request)
    assert ("Leave this page quickly" in page) is shown


def test_the_neutral_page_says_nothing_about_pathways(client, pat):
    client.force_login(pat)  # signed in or not, it looks the same
    response = client.get(reverse("leave"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Weather</title>" in page
    assert "pathways" not in page.lower()  # no name, stylesheet, script or menu of ours
    assert "<script" not in page and "stylesheet" not in page


# --- A content note before the question about harm, saying who is told ------------------------------------

def harm_note(response) -> str:
    page = response.content.decode()
    start = page.index('<div class="content-note"')
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page[start:page.index("</div>", start)]))


def test_the_note_comes_just_before_the_question_about_harm(pat_client):
    page = pat_client.get(reverse("checkins:daily")).content.decode()
    note = page.index('<div class="content-note"')
    assert page.index("Did I do something kind for myself?") < note < page.index(
        "Have I had thoughts of harming myself?")
    assert page.count('<div class="content-note"') == 1


def test_with_nobody_chosen_the_note_says_nobody_is_told(pat_client):
    note = harm_note(pat_client.get(reverse("checkins:daily")))
    assert "The next question asks about thoughts of harming yourself." in note
    assert "You can leave it blank or choose “Prefer not to say”: then nobody is told anything." in note
    assert "Nobody else is told whatever you answer: you have not chosen anyone to receive crisis alerts." in note


def test_the_note_names_who_hears_first_and_who_later(pat_client, pat, sam, lee):
    join_with(pat, sam, "Sam", {"crisis_alerts": "view"})
    join_with(pat, supporter("ari@example.org", "Ari"), "Ari", {"crisis_alerts": "view"})
    join_with(pat, lee, "Lee", {"crisis_alerts": "view"}, alert_round=2)
    join_with(pat, supporter("bo@example.org", "Bo"), "Bo", {"plan": "view"})  # no crisis-alert grant
    AlertPreference.objects.create(person=pat, wait_minutes=20)
    note = harm_note(pat_client.get(reverse("checkins:daily")))
    assert "Pathways lets Sam and Ari know straight away that you may need support — not what you answered." in note
    assert "If nobody says they are reaching out within 20 minutes, Lee is told next." in note
    assert "Bo" not in note and "on-duty" not in note


def test_the_note_says_when_the_on_duty_professional_would_be_told(pat_client, pat, lee, organisation):
    organisation.on_duty_professional = lee
    organisation.save()
    User.objects.filter(pk=pat.pk).update(home_organisation=organisation)
    AlertPreference.objects.create(person=pat, on_duty_allowed=True)
    note = harm_note(pat_client.get(reverse("checkins:daily")))
    assert ("nobody in your circle is told, but after 15 minutes your organisation’s on-duty professional is told"
            in note)


def test_what_the_note_promises_is_what_happens(pat_client, pat, sam, lee):
    """Sam (round 1) hears at once; Lee (round 2) not yet: as the note says."""
    join_with(pat, sam, "Sam", {"crisis_alerts": "view"})
    join_with(pat, lee, "Lee", {"crisis_alerts": "view"}, alert_round=2)
    assert "lets Sam know straight away" in harm_note(pat_client.get(reverse("checkins:daily")))
    pat_client.post(reverse("checkins:daily"), {"self_harm_thoughts": "some"})
    assert sam.notifications.filter(kind="crisis_alert").count() == 1
    assert not lee.notifications.filter(kind="crisis_alert").exists()


def test_the_check_in_says_who_hears_of_a_watched_sign(pat_client, pat, sam):
    join_with(pat, sam, "Sam", {"early_warning": "view"})
    assert "told that a sign was noticed" not in pat_client.get(reverse("checkins:daily")).content.decode()
    checkins.warning_sign_add(person=pat, stage="emotional", sign="Sleeping badly", watch="sleep_below_usual")
    page = re.sub(r"\s+", " ", pat_client.get(reverse("checkins:daily")).content.decode())
    assert ("If these answers match an early sign you asked check-ins to watch for, Sam is told that a sign was "
            "noticed — never your answers.") in page


def test_a_questionnaire_notes_its_first_risk_question_only(pat_client):
    questionnaire = checkins.questionnaire_load(resource=risky_questionnaire())
    page = pat_client.get(reverse("questionnaires:fill", args=[questionnaire.pk])).content.decode()
    assert page.count('<div class="content-note"') == 1
    assert page.index("Placeholder question") < page.index('<div class="content-note"') < page.index(
        "Placeholder risk question")
    assert "The next question asks about hard thoughts, such as harming yourself." in page


def test_a_questionnaire_without_risk_questions_has_no_note(pat_client):
    resource = risky_questionnaire()
    resource["item"] = resource["item"][:1]
    questionnaire = checkins.questionnaire_load(resource=resource)
    page = pat_client.get(reverse("questionnaires:fill", args=[questionnaire.pk])).content.decode()
    assert 'class="content-note"' not in page


# --- Every question can be left blank, with no "why?" -------------------------------------------------------

def test_an_empty_check_in_is_saved_without_a_question(pat_client, pat):
    response = pat_client.post(reverse("checkins:daily"), {})
    assert response.status_code == 302
    assert DailyCheckIn.objects.filter(person=pat).exists()


def test_an_empty_questionnaire_is_saved_without_a_question(pat_client, pat):
    questionnaire = checkins.questionnaire_load(resource=risky_questionnaire())
    form = pat_client.get(reverse("questionnaires:fill", args=[questionnaire.pk])).content.decode()
    key = re.search(r'name="submission_key" value="([^"]+)"', form).group(1)
    response = pat_client.post(reverse("questionnaires:fill", args=[questionnaire.pk]), {"submission_key": key})
    assert response.status_code == 302


def test_an_empty_safety_plan_is_saved_without_a_question(pat_client, pat):
    response = pat_client.post(reverse("safety:edit"), {})
    assert response.status_code == 302
    assert SafetyPlan.objects.get(person=pat).is_empty
