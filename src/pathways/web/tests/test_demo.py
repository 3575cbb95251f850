"""The demo programme loads once, with people on different pathways at different points."""
import re

from django.core.management import call_command

from conftest import totp_code
from pathways.people.models import Membership, Role, User
from pathways.plans.models import PlanPathway, Win
from pathways.web.demo import DEMO_PASSWORD, PEOPLE, demo_authenticator_secret


def test_demo_data_loads_once_with_staff_and_people_on_different_pathways(db, capsys):
    call_command("load_demo")
    call_command("load_demo")
    assert "already loaded" in capsys.readouterr().out
    assert User.objects.filter(email__endswith="@demo.pathways.invalid").count() == 7
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {Role.ADMIN, Role.PEER_SUPPORTER, Role.PROFESSIONAL, Role.PERSON}
    pathways_per_person = {
        person["email"]: set(PlanPathway.objects.filter(plan__person__email=person["email"], ended_at__isnull=True)
                             .values_list("pathway", flat=True))
        for person in PEOPLE
    }
    assert len({frozenset(p) for p in pathways_per_person.values()}) == len(PEOPLE)
    assert Win.objects.exists()


def test_demo_accounts_can_log_in(client, db):
    call_command("load_demo")
    assert client.post("/account/login/", {"username": "pat@demo.pathways.invalid", "password": DEMO_PASSWORD}).status_code == 302
    assert client.get("/plan/").status_code == 200


def test_demo_supporters_see_only_what_demo_people_share(client, db):
    call_command("load_demo")
    assert client.post("/account/login/", {"username": "sam@demo.pathways.invalid", "password": DEMO_PASSWORD}).status_code == 302
    sam = User.objects.get(email="sam@demo.pathways.invalid")
    assert client.post("/account/login/code/", {"code": totp_code(sam.totpdevice_set.get())}).status_code == 302
    body = client.get("/people/").content.decode()
    main = body[body.index("<main"):body.index("</main>")]  # not the page's random CSRF token, which once held "Jo"
    names = set(re.findall(r"\b(Pat|Jo|Rue)\b", main))
    assert names == {"Pat"}


def test_demo_staff_can_sign_in_without_a_phone_with_a_printed_recovery_code(client, db, capsys):
    call_command("load_demo")
    printed = capsys.readouterr().out
    assert demo_authenticator_secret() in printed
    code = re.search(r"lee@demo\.pathways\.invalid\s+(\S+)", printed.split("recovery codes")[1]).group(1)
    client.post("/account/login/", {"username": "lee@demo.pathways.invalid", "password": DEMO_PASSWORD})
    assert client.post("/account/login/code/", {"code": code}).status_code == 302
    assert client.get("/people/").status_code == 200


def test_the_demo_shows_two_step_sign_in_required_of_staff_and_chosen_by_an_ally(client, db):
    call_command("load_demo")
    for email, expected in (("dee@demo.pathways.invalid", 200), ("sam@demo.pathways.invalid", 302)):
        client.post("/account/login/", {"username": email, "password": DEMO_PASSWORD})
        assert client.get("/people/").status_code == expected  # Sam must give a code; Dee has the choice
        client.post("/account/logout/")
    client.post("/account/login/", {"username": "dee@demo.pathways.invalid", "password": DEMO_PASSWORD})
    pat = User.objects.get(email="pat@demo.pathways.invalid")
    assert client.get(f"/safety/of/{pat.public_id}/").status_code == 200
    assert client.get(f"/checkin/of/{pat.public_id}/").status_code == 404  # not shared with her sister


def test_the_demo_alert_reaches_sam_first_and_lee_only_if_nobody_answers(db):
    from datetime import timedelta

    from django.utils import timezone

    from pathways.notifications.models import Notification
    from pathways.safety.escalation import crisis_alerts_escalate_due

    call_command("load_demo")
    sam, lee = (User.objects.get(email=f"{name}@demo.pathways.invalid") for name in ("sam", "lee"))
    assert Notification.objects.filter(recipient=sam, kind="crisis_alert").count() == 1
    assert not Notification.objects.filter(recipient=lee, kind="crisis_alert").exists()
    crisis_alerts_escalate_due(now=timezone.now() + timedelta(minutes=16))
    assert Notification.objects.filter(recipient=lee, kind="crisis_alert").count() == 1


def test_the_demo_has_a_conversation_and_a_note_between_pat_and_sam(db):
    from pathways.conversations.models import Message, SessionNote

    call_command("load_demo")
    pat = User.objects.get(email="pat@demo.pathways.invalid")
    assert Message.objects.filter(conversation__person=pat).count() == 4
    note = SessionNote.objects.get(person=pat)
    assert note.author.email == "sam@demo.pathways.invalid" and len(note.next_steps.splitlines()) == 2
