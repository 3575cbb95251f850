"""The safety plan, crisis lines by country, and what a risk answer sets off."""
import pytest
from django.core.exceptions import ValidationError

from pathways.circle import services as circle_services
from pathways.circle.models import AccessLogEntry, SupporterRole
from pathways.notifications.models import Notification
from pathways.people.models import PersonProfile
from pathways.safety import selectors, services
from pathways.safety.crisis_lines import shipped_lines
from pathways.safety.models import SafetyPlan


def set_country(person, country):
    PersonProfile.objects.update_or_create(user=person, defaults={"country": country})


class TestCrisisLines:
    def test_every_shipped_line_says_when_it_was_last_checked(self):
        assert len(shipped_lines()) >= 8
        assert all(line.last_checked and line.source and (line.phone or line.text) for line in shipped_lines())

    @pytest.mark.parametrize("country,number", [("US", "988"), ("CA", "988"), ("GB", "116 123"), ("IE", "116 123"),
                                                ("AU", "13 11 14"), ("NZ", "1737"), ("FR", "3114"), ("NL", "113")])
    def test_the_persons_country_chooses_the_lines(self, pat, country, number):
        set_country(pat, country)
        assert [line.phone for line in selectors.crisis_lines_for(person=pat)] == [number]

    def test_no_country_shows_no_lines_but_the_page_still_helps(self, client, pat):
        client.force_login(pat)
        body = client.get("/safety/").content.decode()
        assert "Choose your country" in body and "local emergency number" in body

    def test_an_organisations_local_services_are_shown_to_its_people(self, pat, organisation):
        pat.home_organisation = organisation
        pat.save()
        set_country(pat, "GB")
        services.local_service_add(organisation=organisation, country="gb", name="Harbour drop-in", phone="0100 000")
        assert [line.name for line in selectors.crisis_lines_for(person=pat)] == ["Samaritans", "Harbour drop-in"]

    def test_crisis_lines_are_open_to_anyone(self, client, db):
        response = client.get("/safety/crisis-lines/")
        assert response.status_code == 200 and "116 123" in response.content.decode()


class TestSafetyPlan:
    def test_the_person_writes_and_changes_their_plan(self, client, pat):
        client.force_login(pat)
        response = client.post("/safety/edit/", {"coping_on_my_own": "Walk by the canal\nRing my sister",
                                                 "reasons_for_living": "My dog, Biscuit"})
        assert response.status_code == 302
        plan = SafetyPlan.objects.get(person=pat)
        assert dict(plan.sections())["Things I can do on my own to cope"] == ["Walk by the canal", "Ring my sister"]
        assert "My dog, Biscuit" in client.get("/safety/print/").content.decode()

    def test_too_long_text_is_explained_and_kept(self, client, pat):
        client.force_login(pat)
        response = client.post("/safety/edit/", {"warning_signs": "x" * 4001, "people_to_ask": "Sam 0100"})
        assert response.status_code == 200 and "at most 4000 characters" in response.content.decode()
        assert "Sam 0100" in response.content.decode()
        assert not SafetyPlan.objects.exists()

    def test_the_plan_is_one_tap_away_from_every_page(self, client, pat):
        client.force_login(pat)
        for path in ("/plan/", "/checkin/", "/circle/", "/people/progress/", "/me/"):
            assert 'href="/safety/"' in client.get(path).content.decode(), path

    def test_unknown_parts_are_refused(self, pat):
        with pytest.raises(TypeError):
            services.safety_plan_save(person=pat, secrets="x")

    def test_a_supporter_sees_it_only_with_the_grant(self, client, pat, sam):
        services.safety_plan_save(person=pat, reasons_for_living="My nephew")
        client.force_login(sam)
        assert client.get(f"/safety/of/{pat.public_id}/").status_code == 404
        _, token = circle_services.invitation_create(person=pat, role=SupporterRole.ALLY, name="Sam")
        member = circle_services.invitation_accept(token=token, supporter=sam)
        circle_services.grant_create(member=member, items={"safety_plan": "view"}, purpose="x", signature="Pat")
        body = client.get(f"/safety/of/{pat.public_id}/").content.decode()
        assert "My nephew" in body and "Protected information" in body


class TestRiskAnswers:
    @pytest.fixture
    def circle(self, pat, sam, lee):
        """Sam may receive crisis alerts; Lee is in the circle but may not."""
        members = {}
        for supporter, role in ((sam, SupporterRole.PEER_SUPPORTER), (lee, SupporterRole.PROFESSIONAL)):
            _, token = circle_services.invitation_create(person=pat, role=role, name=supporter.display_name)
            members[supporter.pk] = circle_services.invitation_accept(token=token, supporter=supporter)
        circle_services.grant_create(member=members[sam.pk], items={"crisis_alerts": "view"}, purpose="x",
                                     signature="Pat")
        circle_services.grant_create(member=members[lee.pk], items={"plan": "view"}, purpose="x", signature="Pat")
        return members

    def test_only_supporters_with_the_crisis_alert_grant_are_told(self, pat, sam, lee, circle):
        alert = services.crisis_alert_raise(person=pat)
        assert list(alert.notified.all()) == [sam]
        assert Notification.objects.filter(recipient=sam, kind="crisis_alert").count() == 1
        assert not Notification.objects.filter(recipient=lee).exists()

    def test_each_alert_sent_is_a_disclosure_in_the_persons_access_log(self, pat, sam, lee, circle):
        services.crisis_alert_raise(person=pat)
        entries = AccessLogEntry.objects.filter(person_ref=str(pat.public_id))
        assert list(entries.values_list("viewer_ref", "category", "allowed")) == [
            (str(sam.public_id), "crisis_alerts", True)]

    def test_the_alert_does_not_say_what_the_person_answered(self, pat, sam, circle):
        services.crisis_alert_raise(person=pat)
        notification = Notification.objects.get(recipient=sam)
        assert "harm" not in (notification.title + notification.body).lower()

    def test_a_risk_answer_goes_straight_to_the_plan_and_lines_and_says_who_was_told(self, client, pat, sam, circle):
        set_country(pat, "AU")
        services.safety_plan_save(person=pat, people_to_ask="Aunt Mel 0400")
        client.force_login(pat)
        response = client.post("/checkin/", {"self_harm_thoughts": "some", "mood": "1"}, follow=True)
        body = response.content.decode()
        assert response.redirect_chain[-1][0].startswith("/safety/now/")
        assert "13 11 14" in body and "Aunt Mel 0400" in body and "Sam" in body

    def test_skipping_or_declining_the_question_raises_nothing(self, client, pat, sam, circle):
        client.force_login(pat)
        client.post("/checkin/", {"self_harm_thoughts": "prefer_not"})
        assert not Notification.objects.exists()

    def test_nobody_else_can_open_the_support_page(self, client, pat, rue, circle):
        alert = services.crisis_alert_raise(person=pat)
        client.force_login(rue)
        assert client.get(f"/safety/now/{alert.pk}/").status_code == 404


def test_organisation_admins_manage_local_services(client, ada, organisation, lee):
    client.force_login(ada)
    response = client.post(f"/safety/organisation/{organisation.pk}/services/",
                           {"name": "Night shelter line", "country": "gb", "phone": "0100"})
    assert response.status_code == 302
    assert organisation.local_services.get().country == "GB"
    bad = client.post(f"/safety/organisation/{organisation.pk}/services/", {"name": "X", "country": "Britain"})
    assert "two-letter country code" in bad.content.decode()
    client.force_login(lee)
    assert client.get(f"/safety/organisation/{organisation.pk}/services/").status_code == 404


def test_a_bad_website_is_refused(organisation):
    with pytest.raises(ValidationError):
        services.local_service_add(organisation=organisation, country="GB", name="X", website="not a url")
