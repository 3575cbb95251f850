"""'Who has seen my information' on a phone with JavaScript off.

The person moves between everything, who looked, and the changes to what they share with plain links
(a GET parameter), the filters keep to the chosen tab, and every page fits 390 px and passes the audit.
"""
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PAT_PASSWORD = "a pot of tea and the long way round"


def test_the_person_sees_consent_changes_apart_from_reads_on_a_phone_without_javascript(pat, sam, open_audited):
    from pathways.circle import policy, services
    from pathways.circle.models import SupporterRole

    pat.set_password(PAT_PASSWORD)
    pat.save(update_fields=["password"])
    _, token = services.invitation_create(person=pat, role=SupporterRole.PEER_SUPPORTER, name="Sam")
    member = services.invitation_accept(token=token, supporter=sam)
    grant = services.grant_create(member=member, items={"plan": "view"}, purpose="To support me", signature="Pat")
    assert policy.permits_and_log(sam, pat, "plan", "view")
    services.grant_revoke(grant=grant)
    assert not policy.permits_and_log(sam, pat, "plan", "view")

    screen = open_audited(phone=True, javascript=False)
    page = screen.page
    screen.goto("/account/login/")
    page.get_by_label("Email address").fill(pat.email)
    page.get_by_label("Password").fill(PAT_PASSWORD)
    screen.follow(page.get_by_role("button", name="Log in"))

    screen.goto("/circle/access-log/")
    rows = page.get_by_role("list", name=re.compile("newest first$")).get_by_role("listitem").filter(
        has_text="Sam Rivera")
    expect(rows).to_have_count(4)  # signed, seen, revoked, refused
    expect(page.get_by_role("link", name="All", exact=True)).to_have_attribute("aria-current", "page")

    screen.follow(page.get_by_role("link", name="Changes to what I share"))
    expect(page).to_have_url(re.compile(r"/circle/access-log/\?kind=changes$"))
    expect(page.get_by_role("link", name="Changes to what I share")).to_have_attribute("aria-current", "page")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("You revoked a consent")
    expect(rows.first).to_contain_text("Sharing ended")
    expect(rows.last).to_contain_text("You signed a consent for them")
    expect(rows.last.get_by_role("link", name="Your consent")).to_be_visible()

    screen.follow(page.get_by_role("link", name="Who looked"))
    expect(rows).to_have_count(2)
    expect(page.get_by_role("list", name=re.compile("newest first$"))).not_to_contain_text("consent for them")

    # The filters keep to the tab: only the refusal among the reads.
    page.get_by_label("Outcome").select_option("refused")
    screen.follow(page.get_by_role("button", name="Show"))
    assert "kind=reads" in page.url
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_text("Refused", exact=True)).to_be_visible()
    screen.assert_clean()
