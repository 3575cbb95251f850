"""A person takes their record to another Pathways, in a real browser, on a phone and on a desktop.

Kit downloads their record for other health software from "my data", signs in to a fresh account and brings the
file in: the page says what came in and lists the people Kit shared with before, to invite again. The plan and
safety plan pages offer the PDF, which opens as a PDF. Every page on the way is checked with axe-core.
"""
import json

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from pathways.people import services as people
from pathways.plans.models import Goal
from pathways.records.tests.test_fhir import full_record

from .test_alert_answer_flow import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def kit(transactional_db):
    kit = full_record("kit@travels.example")
    fresh = people.person_sign_up(email="kit.new@travels.example", password=PASSWORD)
    return kit, fresh


@pytest.mark.parametrize("phone", [True, False], ids=["phone", "desktop"])
def test_a_person_downloads_their_record_and_brings_it_into_a_fresh_account(open_audited, kit, phone, tmp_path):
    old, fresh = kit
    screen = open_audited(phone=phone)
    page = screen.page
    log_in(screen, old.email)
    screen.goto("/plan/")
    pdf_link = page.get_by_role("link", name="Save or print as PDF")
    answer = page.request.get(screen.base_url + pdf_link.get_attribute("href"))
    assert answer.ok and answer.headers["content-type"] == "application/pdf" and answer.body().startswith(b"%PDF")
    screen.goto("/account/my-data/")
    with page.expect_download() as download:
        screen.activate(page.get_by_role("button", name="Download my record for other health software"))
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name.startswith("pathways-record-fhir-") and json.loads(saved.read_text())["type"] == "collection"
    screen.follow(page.get_by_role("button", name="Log out"))

    log_in(screen, fresh.email)
    screen.goto("/account/my-data/")
    screen.follow(page.get_by_role("link", name="Bring my record from another Pathways"))
    page.get_by_label("Your record file").set_input_files(str(saved))
    screen.follow(page.get_by_role("button", name="Check and bring in"))
    expect(page.get_by_role("heading", name="Your record is here")).to_be_visible()
    expect(page.get_by_text("3 goals")).to_be_visible()
    table = page.get_by_role("table", name="Consents from your other Pathways")
    expect(table.get_by_role("row")).to_have_count(3)  # the header and Kit's two consents to Jo
    assert Goal.objects.filter(plan__person=fresh).count() == 3
    screen.follow(page.get_by_role("link", name="See my recovery plan"))
    expect(page.get_by_role("link", name="Sleep before midnight")).to_be_visible()
    screen.assert_clean()
