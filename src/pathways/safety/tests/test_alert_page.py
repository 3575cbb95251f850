"""The alert page a supporter is sent to, "I'm reaching out", the person's live list, and their alert settings."""
import pytest
from django.urls import reverse

from pathways.circle import services as circle
from pathways.circle.models import AccessLogEntry, CircleMember
from pathways.people.models import PersonProfile
from pathways.safety import services
from pathways.safety.tests.test_escalation import pat_in_programme, supporter  # noqa: F401 (a fixture)


def alert_url(alert) -> str:
    return reverse("safety:alert", kwargs={"alert_id": alert.public_id})


def page(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_a_supporter_told_sees_who_and_when_and_never_the_answers(client, pat):
    kit = supporter(pat, "Kit")
    alert = services.crisis_alert_raise(person=pat)
    body = page(client, kit, alert_url(alert)).content.decode()
    assert "Pat may need support now" in body and "Pronouns: she/her" in body
    assert "when her answers show she may need support now" in body and "I’m reaching out" in body
    assert "safety plan" not in body  # not shared with Kit, so not even mentioned


def test_the_safety_plan_and_how_to_reach_her_show_only_when_shared(client, pat):
    kit = supporter(pat, "Kit", items={"crisis_alerts": "view", "safety_plan": "view", "reach_me": "view"})
    PersonProfile.objects.update_or_create(user=pat, defaults={"how_to_reach_me": "Text me first: 07700 900123"})
    services.safety_plan_save(person=pat, people_to_ask="My sister Dee 020 7946 0321",
                              professionals="Dr Okafor 020 7946 0999")
    alert = services.crisis_alert_raise(person=pat)
    body = page(client, kit, alert_url(alert)).content.decode()
    assert "Text me first" in body and 'href="tel:' in body and "My sister Dee" in body and "Dr Okafor" in body


def test_nobody_it_was_not_sent_to_can_open_it(client, pat, rue, sam):
    supporter(pat, "Kit")
    alert = services.crisis_alert_raise(person=pat)
    later = supporter(pat, "Bea")  # holds the grant now, but was not told of this alert
    for someone in (pat, rue, sam, later):
        assert page(client, someone, alert_url(alert)).status_code == 404
        assert client.post(reverse("safety:alert_answer", kwargs={"alert_id": alert.public_id})).status_code == 404


def test_a_revoked_grant_closes_the_alert_page_on_the_next_request(client, pat):
    kit = supporter(pat, "Kit")
    alert = services.crisis_alert_raise(person=pat)
    assert page(client, kit, alert_url(alert)).status_code == 200
    circle.grant_revoke(grant=kit.grants_held.get())
    refusals = AccessLogEntry.objects.filter(viewer_ref=str(kit.public_id), allowed=False).count()
    assert client.get(alert_url(alert)).status_code == 404
    assert AccessLogEntry.objects.filter(viewer_ref=str(kit.public_id), allowed=False).count() > refusals


def test_reaching_out_is_shown_to_the_others_and_live_to_the_person(client, pat):
    kit, bea = supporter(pat, "Kit"), supporter(pat, "Bea")
    alert = services.crisis_alert_raise(person=pat)
    client.force_login(kit)
    response = client.post(reverse("safety:alert_answer", kwargs={"alert_id": alert.public_id}), follow=True)
    assert "You said you are reaching out" in response.content.decode()
    assert "Also reaching out: Kit" in page(client, bea, alert_url(alert)).content.decode()

    fragment = reverse("safety:alert_responses", kwargs={"alert_id": alert.pk})
    assert "Kit is reaching out to you" in page(client, pat, fragment).content.decode()
    support = client.get(reverse("safety:support_now", kwargs={"alert_id": alert.pk})).content.decode()
    assert "Kit is reaching out to you" in support and f'hx-get="{fragment}"' in support
    assert page(client, bea, fragment).status_code == 404


def test_the_on_duty_professional_is_offered_emergency_access_not_the_plan(client, pat_in_programme, lee):  # noqa: F811
    from pathways.circle.telling import alert_preference_update
    from pathways.safety import escalation

    pat = pat_in_programme
    alert_preference_update(person=pat, wait_minutes=5, on_duty_allowed=True)
    alert = services.crisis_alert_raise(person=pat)
    escalation.alert_escalate(alert.pk, now=alert.next_round_at)
    body = page(client, lee, alert_url(alert)).content.decode()
    assert "on-duty professional" in body
    assert reverse("circle:emergency_access", kwargs={"person_id": pat.public_id}) in body
    alert_preference_update(person=pat, wait_minutes=5, on_duty_allowed=False)  # she changed her mind
    assert client.get(alert_url(alert)).status_code == 404


def test_the_person_chooses_rounds_wait_and_on_duty(client, pat_in_programme):  # noqa: F811
    pat = pat_in_programme
    kit = supporter(pat, "Kit")
    member = CircleMember.objects.get(supporter=kit)
    client.force_login(pat)
    url = reverse("safety:alert_settings")
    body = client.get(url).content.decode()
    assert "When to tell Kit" in body and "on-duty professional" in body
    response = client.post(url, {"wait_minutes": "20", f"round_{member.pk}": "2", "on_duty_allowed": "on"})
    assert response.status_code == 302
    member.refresh_from_db()
    pat.alert_preference.refresh_from_db()
    assert (member.alert_round, pat.alert_preference.wait_minutes, pat.alert_preference.on_duty_allowed) == (2, 20, True)
    response = client.post(url, {"wait_minutes": "0"})
    assert response.status_code == 200 and 'value="0"' in response.content.decode()  # kept, with its error


def test_without_an_on_duty_professional_the_choice_is_not_offered(client, pat):
    client.force_login(pat)
    assert "on-duty professional" not in client.get(reverse("safety:alert_settings")).content.decode()


@pytest.mark.parametrize("chosen,expected", [("lee", "lee"), ("", None)])
def test_the_admin_chooses_the_on_duty_professional(client, organisation, ada, lee, sam, chosen, expected):
    client.force_login(ada)
    url = reverse("people:organisation", kwargs={"organisation_id": organisation.pk})
    assert "Lee (lee@example.org)" in client.get(url).content.decode()
    value = {"lee": lee.pk, "": ""}[chosen]
    assert client.post(url, {"country": "GB", "time_zone": "", "on_duty_professional": value}).status_code == 302
    organisation.refresh_from_db()
    assert organisation.on_duty_professional == {"lee": lee, None: None}[expected]
    # Someone who is not one of its professionals cannot be chosen.
    assert client.post(url, {"country": "GB", "time_zone": "", "on_duty_professional": sam.pk}).status_code == 400
