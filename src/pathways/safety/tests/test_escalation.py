"""A crisis alert travels in the person's chosen rounds until somebody says "I'm reaching out".

Round 1 is told at once; the worker tells the next round after the person's wait, then the organisation's
on-duty professional only when the person allowed it and the organisation has one. An answer stops it all, and
two workers taking the same due alert tell nobody twice.
"""
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from conftest import PASSWORD
from pathways.circle import services as circle
from pathways.circle.models import AccessLogEntry, Category, SupporterRole
from pathways.circle.telling import alert_preference_update
from pathways.notifications.models import Notification
from pathways.outbox.models import OutgoingEmail
from pathways.people import services as people
from pathways.people.models import Role, User
from pathways.safety import escalation, services
from pathways.safety.models import CrisisAlert


def supporter(person, name: str, *, alert_round: int = 1, items=None) -> User:
    account = User.objects.create_user(email=f"{name.lower()}@example.org", password=PASSWORD, preferred_name=name)
    _, token = circle.invitation_create(person=person, role=SupporterRole.ALLY, name=name)
    member = circle.invitation_accept(token=token, supporter=account)
    circle.grant_create(member=member, items=items or {"crisis_alerts": "view"}, purpose="x", signature="Pat")
    member.alert_round = alert_round
    member.save(update_fields=["alert_round"])
    return account


def told(user) -> int:
    return Notification.objects.filter(recipient=user, kind="crisis_alert").count()


def later(minutes: int):
    return timezone.now() + timedelta(minutes=minutes, seconds=1)


@pytest.fixture
def pat_in_programme(pat, organisation, ada, lee):
    """Pat joined the organisation's programme; Lee is its on-duty professional."""
    _, token = people.invitation_create(organisation=organisation, invited_by=ada, email=pat.email, role=Role.PERSON)
    people.invitation_accept_existing_account(token=token, user=pat)
    people.organisation_settings_update(organisation=organisation, country="", time_zone="",
                                        on_duty_professional=lee.pk)
    pat.refresh_from_db()
    return pat


def test_round_one_is_told_at_once_and_round_two_only_after_the_wait(pat):
    kit, bea = supporter(pat, "Kit"), supporter(pat, "Bea", alert_round=2)
    alert_preference_update(person=pat, wait_minutes=10, on_duty_allowed=False)
    alert = services.crisis_alert_raise(person=pat)
    assert (told(kit), told(bea), alert.round) == (1, 0, 1)
    assert alert.next_round_at == pytest.approx(timezone.now() + timedelta(minutes=10), abs=timedelta(seconds=5))

    assert escalation.crisis_alerts_escalate_due(now=later(9)) == 0  # the wait is not over
    assert told(bea) == 0
    assert escalation.crisis_alerts_escalate_due(now=later(10)) == 1
    alert.refresh_from_db()
    assert (told(kit), told(bea), alert.round, alert.next_round_at) == (1, 1, 2, None)  # nobody left to tell
    assert set(alert.notified.all()) == {kit, bea}


def test_with_nobody_in_round_one_the_earliest_round_is_told_first(pat):
    bea, ray = supporter(pat, "Bea", alert_round=2), supporter(pat, "Ray", alert_round=3)
    alert = services.crisis_alert_raise(person=pat)
    assert (told(bea), told(ray), alert.round) == (1, 0, 2)
    assert alert.next_round_at is not None  # the default wait, 15 minutes
    escalation.crisis_alerts_escalate_due(now=later(15))
    assert told(ray) == 1


def test_an_answer_stops_the_next_round_and_tells_the_person(pat):
    kit, bea = supporter(pat, "Kit"), supporter(pat, "Bea", alert_round=2)
    alert = services.crisis_alert_raise(person=pat)
    services.alert_answer(alert=alert, supporter=kit)
    services.alert_answer(alert=alert, supporter=kit)  # twice changes nothing
    alert.refresh_from_db()
    assert alert.next_round_at is None and alert.responses.count() == 1
    assert escalation.crisis_alerts_escalate_due(now=later(60)) == 0
    assert told(bea) == 0
    sent = Notification.objects.get(recipient=pat, kind="crisis_alert_sent")
    assert sent.title == "Kit is reaching out" and sent.link == f"/safety/now/{alert.pk}/"


def test_an_answer_given_while_the_alert_was_due_still_stops_it(pat):
    """The worker locks the row and looks for an answer first: the one written before it wins."""
    kit, bea = supporter(pat, "Kit"), supporter(pat, "Bea", alert_round=2)
    alert = services.crisis_alert_raise(person=pat)
    CrisisAlert.objects.filter(pk=alert.pk).update(next_round_at=timezone.now() - timedelta(minutes=1))
    services.alert_answer(alert=alert, supporter=kit)
    assert escalation.crisis_alerts_escalate_due() == 0 and told(bea) == 0


def test_two_workers_with_the_same_due_alert_tell_its_round_once(pat):
    supporter(pat, "Kit")
    bea = supporter(pat, "Bea", alert_round=2)
    services.crisis_alert_raise(person=pat)
    now = later(15)
    first, second = escalation.due_alert_ids(now=now), escalation.due_alert_ids(now=now)  # both saw it due
    assert first == second and len(first) == 1
    assert escalation.alert_escalate(first[0], now=now) is True
    assert escalation.alert_escalate(second[0], now=now) is False  # the second finds it taken
    assert told(bea) == 1


def test_after_the_last_round_the_on_duty_professional_is_told_when_allowed(pat_in_programme, lee):
    pat = pat_in_programme
    supporter(pat, "Kit")
    alert_preference_update(person=pat, wait_minutes=5, on_duty_allowed=True)
    alert = services.crisis_alert_raise(person=pat)
    assert alert.next_round_at is not None and told(lee) == 0  # the circle first
    escalation.crisis_alerts_escalate_due(now=later(5))
    alert.refresh_from_db()
    assert (alert.on_duty_told, alert.next_round_at, told(lee)) == (lee, None, 1)
    entry = AccessLogEntry.objects.filter(viewer_ref=str(lee.public_id), category=Category.CRISIS_ALERTS).get()
    assert entry.allowed and entry.purpose.startswith("You allowed your organisation's on-duty professional")
    assert escalation.crisis_alerts_escalate_due(now=later(60)) == 0 and told(lee) == 1


def test_the_on_duty_professional_is_not_told_unless_the_person_allowed_it(pat_in_programme, lee):
    pat = pat_in_programme
    supporter(pat, "Kit")
    alert = services.crisis_alert_raise(person=pat)
    assert alert.next_round_at is None  # nobody is left to tell
    assert escalation.crisis_alerts_escalate_due(now=later(60)) == 0 and told(lee) == 0


def test_nobody_on_duty_is_told_when_the_organisation_has_none(pat_in_programme, organisation, lee):
    pat = pat_in_programme
    people.organisation_settings_update(organisation=organisation, country="", time_zone="", on_duty_professional=None)
    supporter(pat, "Kit")
    alert_preference_update(person=pat, wait_minutes=5, on_duty_allowed=True)
    alert = services.crisis_alert_raise(person=pat)
    assert alert.next_round_at is None
    assert escalation.crisis_alerts_escalate_due(now=later(60)) == 0 and told(lee) == 0


def test_the_alert_email_says_it_is_urgent_links_to_the_alert_and_names_nobody(pat):
    kit = supporter(pat, "Kit")
    alert = services.crisis_alert_raise(person=pat)
    [email] = [queued for queued in OutgoingEmail.objects.all() if queued.to == kit.email]
    assert email.subject == "Something on Pathways needs your attention soon"
    assert f"/safety/alerts/{alert.public_id}/" in email.body
    assert "Pat" not in email.body.replace("Pathways", "") and "crisis" not in email.body.lower() and "harm" not in email.body.lower()
    assert Notification.objects.get(recipient=kit).link == f"/safety/alerts/{alert.public_id}/"
    assert not mail.outbox  # the worker sends it


def test_a_revoked_grant_stops_later_rounds(pat):
    supporter(pat, "Kit")
    bea = supporter(pat, "Bea", alert_round=2)
    services.crisis_alert_raise(person=pat)
    circle.grant_revoke(grant=bea.grants_held.get())
    escalation.crisis_alerts_escalate_due(now=later(15))
    assert told(bea) == 0


def test_the_persons_choices_are_kept_to_their_own_circle(pat, rue):
    kit = supporter(pat, "Kit")
    ruby = supporter(rue, "Ruby")
    kits_member, rubys_member = kit.supporting.get(), ruby.supporting.get()
    alert_preference_update(person=pat, wait_minutes=30, on_duty_allowed=False,
                            rounds={kits_member.pk: 3, rubys_member.pk: 3})
    kits_member.refresh_from_db()
    rubys_member.refresh_from_db()
    assert (kits_member.alert_round, rubys_member.alert_round) == (3, 1)
    assert pat.alert_preference.wait_minutes == 30
