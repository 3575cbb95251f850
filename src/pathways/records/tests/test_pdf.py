"""The recovery plan and the safety plan as PDF: what the pages say, and who may have them."""
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from conftest import PASSWORD
from pathways.circle import services as circle
from pathways.circle.models import AccessLogEntry, Category, SupporterRole
from pathways.people import services as people
from pathways.people.models import User
from pathways.plans import services as plans
from pathways.plans.models import Pathway
from pathways.safety import services as safety


def pages(response) -> list[str]:
    assert response["Content-Type"] == "application/pdf"
    return [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]


@pytest.fixture
def kit(db) -> User:
    kit = people.person_sign_up(email="kit@pdf.example", password=PASSWORD, name="Kit Ó Briain-Ndlovu",
                                preferred_name="Kit")
    people.profile_update(user=kit, preferred_name="Kit", pronouns="they/them", name="Kit Ó Briain-Ndlovu",
                          culture="", language="", faith="", what_helps="", country="GB")
    plan = kit.plan
    plans.recovery_meaning_update(plan=plan, actor=kit, text="Mornings I look forward to")
    plans.pathways_set(plan=plan, actor=kit, chosen={Pathway.HARM_REDUCTION: "safer, slower"})
    plans.strength_add(plan=plan, actor=kit, kind="mine", text="Stubborn in a good way")
    goal = plans.goal_create(plan=plan, actor=kit, dimension="health", title="Sleep before midnight",
                             first_steps=["Phone out of the bedroom", "Lights off at 11"])
    plans.step_complete(step=goal.steps.order_by("pk").first(), actor=kit)
    safety.safety_plan_save(person=kit, warning_signs="Not answering the phone", coping_on_my_own="A cold shower",
                            distractions="", people_to_ask="Jo 07700 900123", professionals="",
                            safer_surroundings="", reasons_for_living="My niece <script>alert(1)</script>")
    return kit


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_recovery_plan_pdf_says_whose_plan_when_and_every_status_in_words(kit):
    response = client_for(kit).get(reverse("plan_pdf", kwargs={"person_id": kit.public_id}))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"] == \
        f'inline; filename="pathways-recovery-plan-{timezone.localdate().isoformat()}.pdf"'
    text = pages(response)
    made = f"Made {timezone.localdate():%-d %B %Y}"
    assert all("Kit's recovery plan" in page and made in page for page in text)  # every page says whose and when
    first, goals, wins = text[0], text[1], text[-1]  # goals and wins each start a new page
    assert "Mornings I look forward to" in first and "Harm reduction: safer, slower" in first
    assert "Stubborn in a good way" in first and "Sleep before midnight" not in first
    assert "Sleep before midnight (Working on it)" in goals
    assert "Done: Phone out of the bedroom" in goals and "To do: Lights off at 11" in goals  # words, not colour
    assert "Wins" in wins and "Phone out of the bedroom" in wins
    assert "Ó Briain-Ndlovu" not in "".join(text)  # the name they chose to be called, not the full name


def test_the_safety_plan_pdf_has_the_plan_and_the_crisis_lines(kit):
    response = client_for(kit).get(reverse("safety_plan_pdf", kwargs={"person_id": kit.public_id}))
    assert response.status_code == 200
    text = pages(response)
    assert "Kit's safety plan" in text[0] and "In danger right now? Call 999" in text[0]
    assert "1. Signs that a crisis may be coming" in text[0] and "Not answering the phone" in text[0]
    assert "Not written yet." in text[0]  # an empty part is said, not left blank
    assert "My niece <script>alert(1)</script>" in "".join(text)  # their words, as words
    assert "People you can reach right now" in text[-1] and "Samaritans" in text[-1]


@pytest.mark.parametrize("name", ["plan_pdf", "safety_plan_pdf"])
def test_a_supporter_gets_a_plan_only_with_a_grant_for_it_and_the_read_is_logged(kit, name):
    category = Category.PLAN if name == "plan_pdf" else Category.SAFETY_PLAN
    jo = User.objects.create_user(email="jo@pdf.example", preferred_name="Jo")
    _, token = circle.invitation_create(person=kit, role=SupporterRole.ALLY, name="Jo")
    member = circle.invitation_accept(token=token, supporter=jo)
    url = reverse(name, kwargs={"person_id": kit.public_id})
    jos = client_for(jo)

    def logged(allowed: bool) -> int:
        return AccessLogEntry.objects.filter(viewer_ref=str(jo.public_id), category=category, allowed=allowed).count()

    assert jos.get(url).status_code == 404  # in the circle, but nothing shared
    assert logged(False) == 1
    other = Category.SAFETY_PLAN if category == Category.PLAN else Category.PLAN
    grant = circle.grant_create(member=member, items={other: "view"}, purpose="To help", signature="Kit")
    assert jos.get(url).status_code == 404  # the other plan shared opens only the other
    circle.grant_revoke(grant=grant)
    grant = circle.grant_create(member=member, items={category: "view"}, purpose="To help", signature="Kit",
                                expires_at=timezone.now() + timedelta(days=7))
    response = jos.get(url)
    assert response.status_code == 200 and any("Kit's" in page for page in pages(response))
    assert logged(True) == 1
    circle.grant_revoke(grant=grant)
    assert jos.get(url).status_code == 404


@pytest.mark.parametrize("name", ["plan_pdf", "safety_plan_pdf"])
def test_anyone_else_and_wrong_ids_get_404(kit, name):
    rue = people.person_sign_up(email="rue@pdf.example", password=PASSWORD, preferred_name="Rue")
    rues = client_for(rue)
    assert rues.get(reverse(name, kwargs={"person_id": kit.public_id})).status_code == 404
    assert rues.get(reverse(name, kwargs={"person_id": "0b9f6f2e-8a6d-4b1a-9f55-1c2d3e4f5a6b"})).status_code == 404
    assert rues.get(reverse(name, kwargs={"person_id": rue.public_id})).status_code == 200  # her own
    signed_out = Client().get(reverse(name, kwargs={"person_id": kit.public_id}))
    assert signed_out.status_code == 302 and "/login" in signed_out["Location"]
