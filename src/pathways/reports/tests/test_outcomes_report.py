"""The outcomes report: made once a month has ended, frozen, read by the organisation's admins only, and taken away
as CSV and PDF."""
import csv
import io
import subprocess
from datetime import date, timedelta

import pytest
from django.urls import reverse
from pypdf import PdfReader

from pathways.people.models import Membership, Role, User
from pathways.reports.models import OutcomeReport
from pathways.reports.outcome_exports import formula_safe
from pathways.reports.outcome_services import outcome_report_publish_due, outcome_reports_publish_due
from pathways.reports.outcomes import month_key

from .outcome_world import check_in, months_ago, people_join, programme_since, rate_health

# The programme's first month, its second, and the month that ended last (its third), counted back from today.
FIRST, SECOND, LAST = months_ago(3), months_ago(2), months_ago(1)


def day(month: date, number: int) -> date:
    return month + timedelta(days=number - 1)


@pytest.fixture
def programme(db):
    """Harbour Lights for three months: 14 people joined in the first and 4 in the second; all check in, and the
    first 14 rate their health twice, higher the second time."""
    organisation = programme_since(FIRST)
    first = people_join(organisation, on=day(FIRST, 3), count=14)
    second = people_join(organisation, on=day(SECOND, 6), count=4)
    check_in(first, day(FIRST, 10), day(SECOND, 12))
    check_in(second, day(SECOND, 12))
    rate_health(first, day(FIRST, 4), 4)
    rate_health(first, day(SECOND, 20), 7)
    return organisation


@pytest.fixture
def admin(programme):
    user = User.objects.create_user(email="ada@example.org", preferred_name="Ada", home_organisation=programme)
    Membership.objects.create(organisation=programme, user=user, role=Role.ADMIN)
    return user


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


def report_url(organisation) -> str:
    return reverse("outcomes:report", kwargs={"organisation_id": organisation.pk})


def month_url(name: str, organisation, month: date) -> str:
    return reverse(f"outcomes:{name}", kwargs={"organisation_id": organisation.pk, "year": month.year,
                                                "month": month.month})


def test_the_newest_report_is_made_the_first_time_an_admin_opens_the_page_and_then_kept(admin_client, programme):
    first = admin_client.get(report_url(programme))
    assert first.status_code == 200
    report = OutcomeReport.objects.get(organisation=programme)
    assert report.month == LAST
    admin_client.get(report_url(programme))
    assert OutcomeReport.objects.filter(organisation=programme).count() == 1
    body = first.content.decode()
    assert f"Programme outcomes, {LAST:%B %Y}" in body
    assert "<td>fewer than 11</td>" in body  # the second month's 4 newcomers
    assert "Counted here: people in recovery in Harbour Lights Programme who said yes" in body
    assert 14 in report.cells.values()


def test_a_report_is_frozen_a_person_who_says_no_drops_out_of_the_next_one_only(programme):
    last = outcome_report_publish_due(organisation=programme, today=day(months_ago(0), 2))
    Membership.objects.filter(organisation=programme, role=Role.PERSON).update(statistics_consent=False)
    assert outcome_report_publish_due(organisation=programme, today=day(months_ago(0), 20)).cells == last.cells
    following = outcome_report_publish_due(organisation=programme, today=day(months_ago(-1), 2))
    assert following.month == months_ago(0)
    assert not [key for key in following.cells if key.startswith("month:")]  # nobody counted, no months
    assert following.cells["change:dimension:health:people"] == 0
    assert OutcomeReport.objects.get(pk=last.pk).cells == last.cells


def test_while_the_first_month_is_running_there_is_nothing_to_publish_yet(client, admin):
    organisation = programme_since(months_ago(0), name="New Start")
    Membership.objects.create(organisation=organisation, user=admin, role=Role.ADMIN)
    client.force_login(admin)
    response = client.get(report_url(organisation))
    assert response.status_code == 200
    assert "The first monthly report is made once New Start's first month in Pathways has ended." in \
        response.content.decode()
    assert not OutcomeReport.objects.filter(organisation=organisation).exists()


def test_nobody_but_the_organisations_admins_sees_its_outcomes(client, programme, admin):
    outcome_report_publish_due(organisation=programme)
    elsewhere = programme_since(FIRST, name="Elsewhere")
    other_admin = User.objects.create_user(email="other-admin@example.org", home_organisation=elsewhere)
    Membership.objects.create(organisation=elsewhere, user=other_admin, role=Role.ADMIN)
    staff = User.objects.create_user(email="lee@example.org", home_organisation=programme)
    Membership.objects.create(organisation=programme, user=staff, role=Role.PROFESSIONAL)
    person = User.objects.filter(memberships__organisation=programme, memberships__role=Role.PERSON).first()
    urls = [report_url(programme)] + [month_url(name, programme, LAST) for name in ("month", "csv", "pdf")]
    for url in urls:
        assert client.get(url).status_code == 302  # signed out: to the login page
        for someone in (other_admin, staff, person):
            client.force_login(someone)
            assert client.get(url).status_code == 404, (someone.email, url)
            client.logout()


def test_a_month_never_published_or_that_is_no_month_is_not_found(admin_client, programme):
    outcome_report_publish_due(organisation=programme)
    assert admin_client.get(month_url("month", programme, LAST)).status_code == 200
    assert admin_client.get(month_url("month", programme, SECOND)).status_code == 404
    url = reverse("outcomes:month", kwargs={"organisation_id": programme.pk, "year": 2026, "month": 13})
    assert admin_client.get(url).status_code == 404


def test_an_earlier_month_reads_as_it_was_published_with_links_between_the_months(admin_client, programme):
    earlier = outcome_report_publish_due(organisation=programme, today=day(LAST, 3))
    outcome_report_publish_due(organisation=programme)
    body = admin_client.get(month_url("month", programme, SECOND)).content.decode()
    assert f"Programme outcomes, {SECOND:%B %Y}" in body
    assert f'href="{month_url("month", programme, LAST)}"' in body
    assert f'aria-current="page">{SECOND:%B %Y}' in body
    assert earlier.cells[month_key(SECOND, "active")] == 18
    assert "<td>18</td>" in body


def test_the_threshold_comes_from_the_settings_and_is_kept_with_the_report(admin_client, programme, settings):
    settings.PATHWAYS_OUTCOMES_MIN_COUNT = 4
    body = admin_client.get(report_url(programme)).content.decode()
    report = OutcomeReport.objects.get(organisation=programme)
    assert report.threshold == 4
    assert report.cells[month_key(SECOND, "enrolled")] == 4
    assert "<td>4</td>" in body and "<td>fewer than 4</td>" not in body
    settings.PATHWAYS_OUTCOMES_MIN_COUNT = 11  # a later change leaves the published report as it was
    assert "<td>4</td>" in admin_client.get(report_url(programme)).content.decode()


def test_the_workers_round_publishes_each_programmes_report_once(programme):
    personal = programme_since(FIRST, name="Personal")
    personal.is_personal = True
    personal.save()
    assert outcome_reports_publish_due() == 1
    assert outcome_reports_publish_due() == 0
    assert list(OutcomeReport.objects.values_list("organisation_id", "month")) == [(programme.pk, LAST)]


# --- taking it away ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "written"), [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+cmd", "'+cmd"), ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tTab", "'\tTab"), ("\rReturn", "'\rReturn"), ("+1.2", "+1.2"), ("-0.5", "-0.5"),
    ("12%", "12%"), ("fewer than 11", "fewer than 11"), ("Health", "Health"),
])
def test_a_cell_a_spreadsheet_would_run_is_written_as_text(typed, written):
    assert formula_safe(typed) == written


def test_the_csv_holds_every_number_and_no_formula(admin_client, programme):
    programme.name = "=Harbour"
    programme.save()
    report = outcome_report_publish_due(organisation=programme)
    report.measures[0]["label"] = '@HYPERLINK("http://example.org/?leak")'
    report.save()
    response = admin_client.get(month_url("csv", programme, report.month))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="outcomes-harbour-{LAST:%Y-%m}.csv"'
    assert response["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Table", "Row", "Column", "Value"]
    assert ["Joining and checking in", f"{SECOND:%B %Y}", "Joined", "fewer than 11"] in rows
    assert ["Joining and checking in", f"{FIRST:%B %Y}", "Joined", "14"] in rows
    health = [row for row in rows if row[1].startswith("'@HYPERLINK")]
    assert health and ["Mean change", "+3.0"] in [row[2:] for row in health]
    assert not [cell for row in rows[1:] for cell in row if cell[:1] in "=@\t\r" or cell.startswith("+c")]


def test_the_pdf_reads_like_the_page(admin_client, programme, tmp_path):
    report = outcome_report_publish_due(organisation=programme)
    response = admin_client.get(month_url("pdf", programme, report.month))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == \
        f'attachment; filename="outcomes-harbour-lights-programme-{LAST:%Y-%m}.pdf"'
    (tmp_path / "report.pdf").write_bytes(response.content)
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(tmp_path / "report.pdf").pages)
    for words in (f"Programme outcomes, {LAST:%B %Y}", "Harbour Lights Programme", "Joining and checking in",
                  "Change in the four parts of life", "fewer than 11", "de-identified"):
        assert words in text
    # Drawn, not only written: the first page as a picture has ink on it (pdftoppm ships with poppler).
    picture = subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(tmp_path / "report.pdf"),
                              str(tmp_path / "page")], capture_output=True, timeout=60)
    assert picture.returncode == 0 and (tmp_path / "page-1.png").stat().st_size > 5_000
