"""The safety plan, crisis lines by country, and what a risk answer sets off."""
import pytest
from django.core.exceptions import ValidationError

from pathways.circle import services as circle_services
from pathways.circle.models import AccessLogEntry, SupporterRole
from pathways.notifications.models import Notification
from pathways.people.models import PersonProfile
from pathways.safety import selectors, services
from pathways.safety.crisis_lines import KINDS, lines_for_country, shipped_countries, shipped_lines
from pathways.safety.models import SafetyPlan


def set_country(person, country):
    PersonProfile.objects.update_or_create(user=person, defaults={"country": country})


class TestCrisisLines:
    def test_every_shipped_line_says_what_it_is_and_when_it_was_last_checked(self):
        assert len(shipped_lines()) >= 8
        assert all(line.last_checked and line.source and (line.phone or line.text) for line in shipped_lines())
        assert {line.kind for line in shipped_lines()} <= set(KINDS)

    def test_every_shipped_country_has_an_emergency_number_and_a_crisis_line(self):
        for country in shipped_countries():
            kinds = [line.kind for line in lines_for_country(country)]
            assert kinds.count("emergency") == 1 and "crisis" in kinds, country
            assert kinds == sorted(kinds, key=list(KINDS).index), country  # emergency first

    @pytest.mark.parametrize("country,emergency,crisis", [
        ("US", "911", "988"), ("CA", "911", "988"), ("GB", "999", "116 123"), ("IE", "112", "116 123"),
        ("AU", "000", "13 11 14"), ("NZ", "111", "1737"), ("FR", "112", "3114"), ("NL", "112", "113")])
    def test_the_persons_country_chooses_the_lines_emergency_number_first(self, pat, country, emergency, crisis):
        set_country(pat, country)
        phones = [line.phone for line in selectors.crisis_lines_for(person=pat).lines]
        assert phones[:2] == [emergency, crisis]

    @pytest.mark.parametrize("country,helpline", [("US", "1-800-662-4357"), ("GB", "0300 123 6600"),
                                                  ("IE", "1800 459 459"), ("AU", "1800 250 015"),
                                                  ("NZ", "0800 787 797"), ("FR", "0800 23 13 13")])
    def test_an_alcohol_and_drug_helpline_is_listed_where_a_country_has_one(self, pat, country, helpline):
        set_country(pat, country)
        assert helpline in [line.phone for line in selectors.crisis_lines_for(person=pat).lines]

    def test_without_a_choice_the_organisations_country_is_used(self, pat, organisation):
        organisation.country = "IE"
        organisation.save()
        pat.home_organisation = organisation
        pat.save()
        country = selectors.person_country(pat, accept_language="en-GB")
        assert (country.code, country.known_from) == ("IE", selectors.ORGANISATION)
        set_country(pat, "NZ")
        assert selectors.person_country(pat, accept_language="en-GB").code == "NZ"

    @pytest.mark.parametrize("header,country", [
        ("en-GB,en;q=0.9", "GB"), ("fr-CA;q=0.8, en-AU;q=0.9", "AU"), ("zh-Hant-TW,en-US;q=0.5", "US"),
        ("nl", ""), ("de-DE,de;q=0.9", ""), ("en-NZ;q=bad,en-IE;q=0.2", "IE"), ("", "")])
    def test_else_the_browsers_language_region(self, pat, header, country):
        assert selectors.person_country(pat, accept_language=header).code == country

    def test_with_no_country_known_every_emergency_number_comes_first_never_none(self, client, pat):
        client.force_login(pat)
        body = client.get("/safety/", HTTP_ACCEPT_LANGUAGE="de-DE").content.decode()
        assert "In immediate danger, call the emergency number where you are" in body
        for number in ("911", "999", "000", "111", "112"):
            assert f'href="tel:{number}"' in body
        assert body.index('href="tel:911"') < body.index('href="tel:988"')
        assert "Choose your country" in body

    def test_the_organisations_own_lines_follow_the_emergency_number_in_its_order(self, pat, organisation):
        pat.home_organisation = organisation
        pat.save()
        set_country(pat, "GB")
        drop_in = services.local_service_add(organisation=organisation, country="gb", name="Harbour drop-in",
                                             phone="0100 000")
        services.local_service_add(organisation=organisation, country="gb", name="Night line", phone="0100 001")
        names = [line.name for line in selectors.crisis_lines_for(person=pat).lines]
        assert names[:4] == ["Emergency services", "Harbour drop-in", "Night line", "Samaritans"]
        services.local_service_move(line=drop_in, earlier=False)
        names = [line.name for line in selectors.crisis_lines_for(person=pat).lines]
        assert names[1:3] == ["Night line", "Harbour drop-in"]

    def test_crisis_lines_are_open_to_anyone_the_visitors_country_first(self, client, db):
        response = client.get("/safety/crisis-lines/", HTTP_ACCEPT_LANGUAGE="en-AU")
        body = response.content.decode()
        assert response.status_code == 200 and 'href="tel:000"' in body and "116 123" in body
        assert body.index("13 11 14") < body.index("116 123")
        assert "last checked" in body

    def test_every_number_on_the_lines_is_tap_to_call_and_texting_lines_are_sms_links(self, client, pat):
        set_country(pat, "US")
        client.force_login(pat)
        body = client.get("/safety/").content.decode()
        assert 'href="tel:18006624357"' in body and 'href="sms:988"' in body and 'href="tel:911"' in body


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

    def test_numbers_the_person_wrote_become_tap_to_call_links(self, client, pat):
        set_country(pat, "GB")
        services.safety_plan_save(person=pat, people_to_ask="My sister Ana 020 7946 0018\nRing 999 if it is bad",
                                  professionals="Key worker <Jo> on 0117 496 0123")
        client.force_login(pat)
        body = client.get("/safety/").content.decode()
        assert 'href="tel:+442079460018">020 7946 0018</a>' in body and 'href="tel:999">999</a>' in body
        assert 'href="tel:+441174960123">0117 496 0123</a>' in body
        assert "Key worker &lt;Jo&gt; on" in body

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
        entries = AccessLogEntry.objects.reads().filter(person_ref=str(pat.public_id))
        assert list(entries.values_list("viewer_ref", "category", "allowed")) == [
            (str(sam.public_id), "crisis_alerts", True)]

    def test_the_alert_speaks_of_the_person_with_their_own_pronouns_and_says_whom_it_is_about(self, pat, sam, circle):
        services.crisis_alert_raise(person=pat)  # Pat's pronouns are she/her
        notification = Notification.objects.get(recipient=sam)
        assert notification.about == pat
        assert "when her answers show she may be in crisis" in notification.body
        assert "reach out to her" in notification.body and "they" not in notification.body

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
        assert response.redirect_chain[-1][0] == "/checkin/saved/"
        assert "Thank you for telling us" in body and 'href="tel:131114"' in body
        assert "Aunt Mel 0400" in body and "we let Sam know just now" in body

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
