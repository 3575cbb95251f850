"""Everyone's own clock and country: the time zone each account sees dates in, asking the country when an
account is made, and where an organisation's programme is."""
import datetime as dt
import re

import pytest
from django.contrib.staticfiles import finders
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from pathways.notifications.models import Notification
from pathways.notifications.services import notify
from pathways.outbox.tests.helpers import send_queued_mail
from pathways.people import services
from pathways.people.models import Membership, Organisation, PendingSignUp, PersonProfile, Role, User
from pathways.people.time_zones import time_zone_expression, time_zone_name_of, time_zone_of, zone_info

# 15:30 UTC on a winter day is 09:30 in Chicago (UTC-6) and 15:30 on the site's clock (UTC in these tests).
AFTERNOON_UTC = dt.datetime(2030, 1, 15, 15, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def site_clock(settings):
    settings.TIME_ZONE = "UTC"


def set_zone(account, name: str) -> None:
    account.time_zone = name
    account.save(update_fields=["time_zone"])


def set_organisation_zone(organisation: Organisation, name: str) -> None:
    organisation.time_zone = name
    organisation.save(update_fields=["time_zone"])


# --- Whose clock ------------------------------------------------------------------------------------------------

def test_an_account_with_no_zone_and_no_organisation_zone_has_the_sites(pat, lee):
    assert time_zone_name_of(pat) == time_zone_name_of(lee) == "UTC"


def test_an_account_with_no_zone_of_its_own_has_its_organisations(lee, organisation):
    set_organisation_zone(organisation, "Europe/London")
    lee = User.objects.get(pk=lee.pk)
    assert time_zone_of(lee) == zone_info("Europe/London")


def test_an_accounts_own_zone_comes_before_its_organisations(lee, organisation):
    set_organisation_zone(organisation, "Europe/London")
    set_zone(lee, "America/Chicago")
    assert time_zone_name_of(User.objects.get(pk=lee.pk)) == "America/Chicago"


def test_a_zone_nobody_knows_falls_back_to_the_sites_and_breaks_nothing(lee, organisation):
    set_organisation_zone(organisation, "Europe/London")
    set_zone(lee, "Mars/Olympus_Mons")  # only possible by hand in the database: every form refuses it
    assert time_zone_name_of(User.objects.get(pk=lee.pk)) == "UTC"


def test_the_organisation_is_read_only_when_the_account_has_no_zone_of_its_own(
        lee, organisation, django_assert_num_queries):
    set_organisation_zone(organisation, "Europe/London")
    set_zone(lee, "America/Chicago")
    with_own_zone = User.objects.get(pk=lee.pk)
    with django_assert_num_queries(0):
        time_zone_of(with_own_zone)
    set_zone(lee, "")
    without = User.objects.get(pk=lee.pk)
    with django_assert_num_queries(1):
        assert time_zone_name_of(without) == "Europe/London"


def test_the_database_and_python_agree_on_everyones_zone(pat, rue, lee, ada, organisation):
    set_organisation_zone(organisation, "Europe/London")
    set_zone(pat, "America/Chicago")
    set_zone(ada, "Mars/Olympus_Mons")
    in_sql = dict(User.objects.annotate(zone=time_zone_expression()).values_list("pk", "zone"))
    for account in User.objects.all():
        assert zone_info(in_sql[account.pk]) == time_zone_of(account), account.email


# --- Every page on the person's clock -----------------------------------------------------------------------------

def notification_at(person, when: dt.datetime) -> Notification:
    notification = notify(recipient=person, kind="crisis_alert_sent", title="Sam was told you asked for support")
    Notification.objects.filter(pk=notification.pk).update(created_at=when)
    return notification


def test_a_person_in_chicago_sees_times_on_their_own_clock(client, pat):
    set_zone(pat, "America/Chicago")
    notification_at(pat, AFTERNOON_UTC)
    client.force_login(pat)
    body = client.get(reverse("notifications:list")).content.decode()
    assert "15 January 2030, 09:30" in body and "15:30" not in body


def test_a_person_without_a_zone_sees_the_sites_clock(client, pat):
    notification_at(pat, AFTERNOON_UTC)
    client.force_login(pat)
    assert "15 January 2030, 15:30" in client.get(reverse("notifications:list")).content.decode()


def test_the_zone_is_let_go_after_the_request(client, pat):
    set_zone(pat, "America/Chicago")
    client.force_login(pat)
    client.get(reverse("notifications:list"))
    assert timezone.get_current_timezone_name() == "UTC"  # the next request on this thread may be someone else's


# --- About me: my time zone -------------------------------------------------------------------------------------

ABOUT_ME = {"preferred_name": "Patti", "pronouns": "she/her", "name": "", "culture": "Kept text", "language": "",
            "faith": "", "what_helps": "", "country": ""}


def test_the_person_chooses_their_time_zone_on_about_me(client, pat):
    client.force_login(pat)
    response = client.post(reverse("people:profile"), ABOUT_ME | {"time_zone": "America/Chicago"})
    assert response.status_code == 302
    pat.refresh_from_db()
    assert pat.time_zone == "America/Chicago"
    assert '<option value="America/Chicago" selected>America / Chicago</option>' in \
        client.get(reverse("people:profile")).content.decode()


def test_leaving_the_time_zone_blank_says_whose_clock_is_used(client, lee, organisation):
    client.force_login(lee)
    assert "This site&#x27;s (UTC)" in client.get(reverse("people:profile")).content.decode()
    set_organisation_zone(organisation, "Europe/Madrid")
    assert "My organisation&#x27;s (Europe/Madrid)" in client.get(reverse("people:profile")).content.decode()


def test_a_time_zone_we_do_not_know_is_explained_and_the_rest_is_kept(client, pat):
    client.force_login(pat)
    response = client.post(reverse("people:profile"), ABOUT_ME | {"time_zone": "Mars/Olympus_Mons"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "“Mars/Olympus_Mons” is not a time zone we know" in body
    assert "Kept text" in body and 'value="Patti"' in body
    pat.refresh_from_db()
    assert (pat.time_zone, pat.preferred_name) == ("", "Pat")


def test_the_device_zone_offer_is_a_script_file_the_policy_allows(client, pat):
    client.force_login(pat)
    body = client.get(reverse("people:profile")).content.decode()
    assert re.search(r'<script src="/static/people/time_zone\.js" defer></script>', body)
    assert "data-offer-device-time-zone" in body
    assert not re.search(r"<script(?![^>]*\bsrc=)", body) and " style=" not in body  # nothing inline
    assert finders.find("people/time_zone.js")


# --- Asking the country when an account is made ----------------------------------------------------------------

def sign_up(client, **overrides):
    data = {"email": "morgan@example.org", "password": PASSWORD, "preferred_name": "Mo", "pronouns": "",
            "name": "", "country": "NZ"}
    return client.post(reverse("people:sign_up"), data | overrides)


def finish_signing_up(client) -> User:
    send_queued_mail()
    link = re.search(r"https?://[^/]+(/signup/confirm/\S+/)", mail.outbox[-1].body).group(1)
    client.post(link)
    return User.objects.get(email="morgan@example.org")


def test_signing_up_asks_the_country_kindly_and_the_safety_plan_gets_it(client, db):
    page = client.get(reverse("people:sign_up")).content.decode()
    assert "The country you live in (optional)" in page
    assert "So your safety plan shows crisis lines you can call there." in page
    sign_up(client)
    assert PendingSignUp.objects.get().country == "NZ"
    morgan = finish_signing_up(client)
    assert PersonProfile.objects.get(user=morgan).country == "NZ"


def test_signing_up_without_a_country_is_fine(client, db):
    assert sign_up(client, country="").status_code == 302
    assert PersonProfile.objects.get(user=finish_signing_up(client)).country == ""


def test_a_country_not_on_the_list_is_explained(client, db):
    response = sign_up(client, country="ZZ")
    assert response.status_code == 200 and "Choose a country from the list, or leave it blank" in response.content.decode()
    assert not PendingSignUp.objects.exists()


def test_a_person_joining_by_invitation_gives_their_country(client, ada, organisation):
    _, token = services.invitation_create(organisation=organisation, invited_by=ada, email="kai@example.org",
                                          role=Role.PERSON)
    assert "The country you live in (optional)" in client.get(reverse("people:join", args=[token])).content.decode()
    response = client.post(reverse("people:join", args=[token]), {"password": PASSWORD, "country": "IE"})
    assert response.status_code == 302
    assert PersonProfile.objects.get(user__email="kai@example.org").country == "IE"


def test_staff_joining_are_not_asked_a_country_nothing_would_use(client, ada, organisation):
    _, token = services.invitation_create(organisation=organisation, invited_by=ada, email="sky@example.org",
                                          role=Role.PROFESSIONAL)
    assert "The country you live in" not in client.get(reverse("people:join", args=[token])).content.decode()
    assert client.post(reverse("people:join", args=[token]), {"password": PASSWORD}).status_code == 302
    assert not PersonProfile.objects.filter(user__email="sky@example.org").exists()


# --- Where the programme is -------------------------------------------------------------------------------------

def organisation_page(organisation) -> str:
    return reverse("people:organisation", args=[organisation.pk])


def test_the_admin_says_where_the_programme_is(client, ada, organisation):
    client.force_login(ada)
    assert "Your programme's settings" in client.get(organisation_page(organisation)).content.decode()
    response = client.post(organisation_page(organisation), {"country": "GB", "time_zone": "Europe/London"},
                           follow=True)
    assert "Saved. People who chose their own country" in response.content.decode()
    organisation.refresh_from_db()
    assert (organisation.country, organisation.time_zone) == ("GB", "Europe/London")


def test_the_programme_zone_becomes_its_peoples_clock(client, ada, lee, organisation):
    client.force_login(ada)
    client.post(organisation_page(organisation), {"country": "", "time_zone": "Pacific/Auckland"})
    assert time_zone_name_of(User.objects.get(pk=lee.pk)) == "Pacific/Auckland"


def test_a_programme_zone_we_do_not_know_is_explained(client, ada, organisation):
    client.force_login(ada)
    response = client.post(organisation_page(organisation), {"country": "GB", "time_zone": "Atlantis/Central"})
    assert response.status_code == 400
    assert "“Atlantis/Central” is not a time zone we know" in response.content.decode()
    organisation.refresh_from_db()
    assert (organisation.country, organisation.time_zone) == ("", "")


def test_only_the_programmes_own_admins_can_change_where_it_is(client, lee, organisation):
    elsewhere = services.organisation_create(name="Riverside Recovery")
    other_admin = User.objects.create_user(email="bo@example.org", password=PASSWORD, home_organisation=elsewhere)
    Membership.objects.create(organisation=elsewhere, user=other_admin, role=Role.ADMIN)
    for outsider in (lee, other_admin):
        client.force_login(outsider)
        response = client.post(organisation_page(organisation), {"country": "US", "time_zone": "America/Chicago"})
        assert response.status_code == 404
    organisation.refresh_from_db()
    assert (organisation.country, organisation.time_zone) == ("", "")
