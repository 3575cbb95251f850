"""Programme outcomes in a real browser, every page audited by axe-core.

The admin opens the outcomes report on a phone (390×844, nothing wider than the screen) and on a desktop: charts
with their sentences, tables with small counts shown as "fewer than 11", and the tables downloaded as CSV. A person
in the programme finds, from "About me", the page where they say whether they are counted, and says no.
"""
import csv
import io
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from pathways.people.models import Membership, Role, User
from pathways.plans.services import plan_create
from pathways.reports.tests.outcome_world import check_in, months_ago, people_join, programme_since, rate_health

from .conftest import AuditedPage
from .test_alert_answer_flow import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def programme(transactional_db):
    """Twenty people joined three months ago and five two months ago; they check in and rate their health."""
    organisation = programme_since(months_ago(3), name="Harbour Lights Programme")
    first = people_join(organisation, on=months_ago(3) + timedelta(days=2), count=20)
    second = people_join(organisation, on=months_ago(2) + timedelta(days=2), count=5)
    check_in(first, months_ago(3) + timedelta(days=4), months_ago(2) + timedelta(days=4))
    check_in(first[:14] + second, months_ago(1) + timedelta(days=4))
    rate_health(first, months_ago(3) + timedelta(days=5), 4)
    rate_health(first, months_ago(1) + timedelta(days=6), 7)
    ada = User.objects.create_user(email="ada@example.org", password=PASSWORD, preferred_name="Ada",
                                   home_organisation=organisation)
    Membership.objects.create(organisation=organisation, user=ada, role=Role.ADMIN)
    return organisation, ada


def _reads_the_outcomes_and_downloads_the_tables(screen: AuditedPage, organisation, ada):
    page = screen.page
    log_in(screen, ada.email, code_for=ada)
    screen.goto(f"/programme/{organisation.pk}/outcomes/")
    last_month = f"{months_ago(1):%B %Y}"
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Programme outcomes, {last_month}")
    expect(page.get_by_role("main")).to_contain_text("The figures are de-identified")
    taking_part = page.get_by_role("region", name="Joining and checking in")
    expect(taking_part.get_by_role("img", name="People who joined and who checked in, by month")).to_be_visible()
    expect(taking_part.locator(".chart-summary")).to_contain_text("Checked in: from 20")
    joined_late = taking_part.get_by_role("row", name=f"{months_ago(2):%B %Y}")
    expect(joined_late.get_by_role("cell").first).to_have_text("fewer than 11")
    changes = page.get_by_role("region", name="Change in the four parts of life")
    expect(changes.get_by_role("img")).to_be_visible()
    expect(changes.get_by_role("table", name="Change in the four parts of life")).to_contain_text("+3.0")

    with page.expect_download() as download:
        screen.activate(page.get_by_role("link", name="Download the tables (CSV)"))
    assert download.value.suggested_filename == f"outcomes-harbour-lights-programme-{months_ago(1):%Y-%m}.csv"
    rows = list(csv.reader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    assert ["Joining and checking in", f"{months_ago(2):%B %Y}", "Joined", "fewer than 11"] in rows
    assert ["Joining and checking in", f"{months_ago(3):%B %Y}", "Joined", "20"] in rows
    screen.assert_clean()


def test_the_admin_reads_the_outcomes_on_a_phone_and_downloads_the_tables(programme, open_audited):
    _reads_the_outcomes_and_downloads_the_tables(open_audited(phone=True), *programme)


def test_the_admin_reads_the_outcomes_on_a_desktop_and_downloads_the_tables(programme, audited):
    _reads_the_outcomes_and_downloads_the_tables(audited, *programme)


def test_a_person_says_they_would_rather_not_be_counted(programme, open_audited):
    organisation, _ = programme
    person = User.objects.filter(memberships__organisation=organisation, memberships__role=Role.PERSON).first()
    person.set_password(PASSWORD)
    person.save()
    plan_create(person=person)  # what joining starts for everyone; the programme above was built without it
    screen = open_audited(phone=True)
    page = screen.page
    log_in(screen, person.email)
    screen.goto("/me/")
    screen.follow(page.get_by_role("link", name="Counting me in programme statistics"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Counting me in programme statistics")
    expect(page.get_by_role("main")).to_contain_text("You said yes: you are counted.")
    screen.activate(page.get_by_role("radio", name="No, leave me out"))
    screen.follow(page.get_by_role("button", name="Save my answer"))
    expect(page.get_by_role("status")).to_contain_text("You are not counted from the next monthly report on.")
    expect(page.get_by_role("main")).to_contain_text("You said no: you are not counted.")
    assert Membership.objects.get(user=person, role=Role.PERSON).statistics_consent is False
    screen.assert_clean()
