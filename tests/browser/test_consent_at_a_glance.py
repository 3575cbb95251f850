"""Issue 25 in a real browser, on a phone (390×844) and on a desktop: Pat reads what Sam sees at a glance, stops
sharing her check-ins alone after one confirmation, and reads her access log as cards, with an emergency reason in
full on the phone and no sideways scrolling. Every page passes axe and the structural checks of `AuditedPage`."""
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PAT_PASSWORD = "the kettle sings before the rain"
REASON = ("Pat missed three appointments and her sister rang the drop-in worried about her; checking her safety "
          "plan before calling back")


@pytest.fixture
def pats_circle(pat, sam, lee, organisation):
    """Sam sees Pat's plan, check-ins and safety plan under one consent; Lee, a professional at her programme,
    opened her safety plan with emergency access; and Sam's look at her progress page left out her measures."""
    from pathways.circle import policy, services
    from pathways.circle.models import Category, SupporterRole
    from pathways.people.models import Membership, Role

    pat.set_password(PAT_PASSWORD)
    pat.home_organisation = organisation
    pat.save(update_fields=["password", "home_organisation"])
    Membership.objects.create(user=pat, organisation=organisation, role=Role.PERSON)
    _, token = services.invitation_create(person=pat, role=SupporterRole.PEER_SUPPORTER, name="Sam")
    member = services.invitation_accept(token=token, supporter=sam)
    grant = services.grant_create(member=member, items={"plan": "view", "checkins": "view", "safety_plan": "view"},
                                  purpose="Weekly support", signature="Pat Example")
    policy.permits_and_log(sam, pat, Category.MEASURES, page="your progress page")
    services.emergency_access_start(professional=lee, person=pat, reason=REASON)
    assert policy.permits_and_log(lee, pat, Category.SAFETY_PLAN)
    return grant


def log_in(screen, email: str) -> None:
    page = screen.page
    screen.goto("/account/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PAT_PASSWORD)
    screen.follow(page.get_by_role("button", name="Log in"))


def fits_the_screen(page) -> None:
    width, scrolled = page.evaluate("[window.innerWidth, document.scrollingElement.scrollWidth]")
    assert scrolled <= width, f"the page scrolls sideways: {scrolled}px on a {width}px screen"


@pytest.mark.parametrize("phone", [True, False], ids=["phone", "desktop"])
def test_pat_stops_sharing_her_check_ins_alone_and_reads_her_log_as_cards(pat, pats_circle, open_audited, phone):
    from pathways.circle.models import Grant
    from pathways.circle.wording import grant_title

    screen = open_audited(phone=phone)
    page = screen.page
    log_in(screen, pat.email)

    # What Sam sees, each with its own way to stop; the consent named by what it covers.
    screen.goto("/circle/")
    card = page.get_by_role("region", name="Sam")
    sees = card.get_by_role("list", name="What they see").get_by_role("listitem")
    expect(sees).to_have_count(3)
    expect(sees.nth(1)).to_contain_text("See my daily check-ins")
    consent = card.get_by_role("list", name="Consents in force")
    expect(consent).to_contain_text(re.compile(r"Plan, check-ins and safety plan — signed \d{1,2} \w{3} \d{4}"))

    # One tap asks once, naming exactly what ends and what stays.
    screen.follow(sees.get_by_role("link", name="Stop sharing check-ins"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Stop sharing check-ins with Sam?")
    expect(page.get_by_role("main")).to_contain_text(
        "Sam will no longer see your check-ins. They keep seeing: your plan, your safety plan.")
    assert Grant.objects.get().is_live(), "asking must change nothing"
    fits_the_screen(page)
    screen.follow(page.get_by_role("button", name="Stop sharing check-ins"))

    expect(page.get_by_role("status")).to_contain_text("Done. Sam no longer sees your check-ins.")
    card = page.get_by_role("region", name="Sam")
    expect(card.get_by_role("list", name="What they see").get_by_role("listitem")).to_have_count(2)
    expect(card).not_to_contain_text("check-ins")
    new = Grant.objects.get(revoked_at__isnull=True)
    expect(card.get_by_role("list", name="Consents in force")).to_contain_text(grant_title(new))

    # The whole consent asks once too; "Keep it" leaves it as it is.
    screen.follow(card.get_by_role("link", name=re.compile(r"^Revoke the consent for Sam")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Revoke this consent?")
    expect(page.get_by_role("main")).to_contain_text("Sam will no longer see your plan and your safety plan.")
    screen.follow(page.get_by_role("link", name="Keep it"))
    assert Grant.objects.get(pk=new.pk).is_live()

    # The history keeps both consents, each titled.
    screen.goto("/circle/grants/")
    expect(page.get_by_role("main").get_by_role("listitem")).to_have_count(2)
    expect(page.get_by_role("main")).to_contain_text(f"{grant_title(pats_circle)}, for Sam Rivera — revoked")

    # The access log: a card per entry, every field on screen, the emergency reason in full.
    screen.goto("/circle/access-log/")
    entries = page.get_by_role("list", name=re.compile("newest first$")).get_by_role("listitem")
    emergency = entries.filter(has_text="Emergency access:").filter(has_text="my safety plan")
    expect(emergency).to_have_count(1)
    reason = emergency.get_by_text(f"Emergency access: {REASON}")
    expect(reason).to_be_visible()
    for field in ("When", "Who", "Their role", "What", "Outcome", "Why", "From"):
        expect(emergency.get_by_text(field, exact=True)).to_be_visible()
    expect(emergency).to_contain_text("Lee")
    expect(emergency).to_contain_text("professional")
    box, width = reason.bounding_box(), page.viewport_size["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, (box, width)
    fits_the_screen(page)
    expect(entries.filter(has_text="opened your progress page").first).to_contain_text(
        "Sam Rivera opened your progress page; your recovery measures are not shared with Sam Rivera, "
        "so they were not shown.")
    expect(entries.filter(has_text="You revoked a consent")).to_have_count(1)
    expect(entries.filter(has_text="You signed a consent for them")).to_have_count(2)
    screen.assert_clean()
