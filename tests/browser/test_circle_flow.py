"""A person brings a peer supporter into her circle, shares only her plan, and takes it back.

Two browser contexts, each with its own cookies: Pat (the person) on a desktop, and Jordan (the peer
supporter she invites) on a phone, so the supporter's pages are also checked for reflow at phone
width. The journey follows the issue: invite, join by the single-use link, consent to the plan only
("see and suggest changes"), the supporter reads and suggests, Pat rewords and accepts, Pat revokes,
the supporter's very next request is refused, and Pat reads every one of those views in "Who has
seen my information". Every page either of them sees is checked with axe-core and the structural
checks of `AuditedPage` (tests/browser/conftest.py).
"""
import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from pathways.circle.models import Category

pytestmark = pytest.mark.browser

# Something only Pat's plan says, so finding it on the supporter's screen proves it came from her plan.
MEANING = "Mornings by the river with Biscuit, and being the aunt my nephew rings first."
GOAL = "Get back to swimming twice a week"
WHY = "The water is where my head goes quiet."
FIRST_STEPS = ["Find the timetable for the Leyton pool", "Dig out my old goggles"]

SUPPORTER_INVITED_AS = "Jordan"
SUPPORTER_EMAIL = "jordan.reyes@example.org"
SUPPORTER_PASSWORD = "lanterns over the quiet harbour"
SUPPORTER = "Jordan Reyes"  # the full name they sign up with, and so the name Pat sees everywhere

SUGGESTED = "Ask a friend to come to the Tuesday swim"
REWORDED = "Ask my cousin Dee to come to the Tuesday evening swim"

PAT_PASSWORD = "kettle on, window open, slow start"

NOT_FOUND = "We could not find that page"
PURPOSE = "To support me in my recovery"


@pytest.fixture
def pat_with_a_plan(pat):
    """Pat, whose plan already says what recovery means to her and has one goal with two small steps."""
    from pathways.plans import services

    pat.set_password(PAT_PASSWORD)  # her own, so this test does not lean on another conftest's constant
    pat.save(update_fields=["password"])
    plan = pat.plan
    services.recovery_meaning_update(plan=plan, actor=pat, text=MEANING)
    services.goal_create(plan=plan, actor=pat, dimension="health", title=GOAL, why_it_matters=WHY,
                         importance=8, confidence=6, first_steps=FIRST_STEPS)
    return pat


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def expect_refused(screen, load, path: str, title: str = NOT_FOUND) -> None:
    """Load a page that must not exist for this viewer: a 404, and the friendly page that says so.

    Chromium reports any 404 document as a console error; that one is expected here, so it is taken
    off the list `AuditedPage` keeps. Anything else said on the console stays there.
    """
    before = len(screen.console_errors)
    response = load()
    assert response is not None and response.status == 404, f"{path} answered {response and response.status}"
    expect(heading(screen.page)).to_have_text(title)
    screen.audit(f"{path} (refused)")
    expected = f"{screen.path}: Failed to load resource: the server responded with a status of 404 (Not Found)"
    new = screen.console_errors[before:]
    if expected in new:
        new.remove(expected)
    screen.console_errors[before:] = new


def visit_refused(screen, path: str, title: str = NOT_FOUND) -> None:
    expect_refused(screen, lambda: screen.page.goto(screen.base_url + path), path, title)


def log_entries(page: Page):
    """The cards of "Who has seen my information", newest first."""
    return page.get_by_role("list", name=re.compile("newest first$")).get_by_role("listitem")


def log_in(screen, *, email: str, password: str) -> None:
    page = screen.page
    screen.goto("/account/login/")
    expect(heading(page)).to_have_text("Log in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    screen.follow(page.get_by_role("button", name="Log in"))
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()


def test_pat_shares_her_plan_with_a_peer_supporter_and_takes_it_back(pat_with_a_plan, rue, open_audited,
                                                                      live_server):
    from pathways.circle.models import AccessLogEntry
    from pathways.people.models import User

    pat = pat_with_a_plan
    me = open_audited()  # Pat's browser
    them = open_audited(phone=True)  # the supporter, on a phone: its own context, so its own session cookie
    page, their_page = me.page, them.page

    # 1. Pat logs in, opens "My circle" and invites a peer supporter. No email: she copies the link herself.
    log_in(me, email=pat.email, password=PAT_PASSWORD)
    me.follow(page.get_by_role("navigation", name="Main").get_by_role("link", name="My circle"))
    expect(page).to_have_url(live_server.url + "/circle/")
    expect(heading(page)).to_have_text("My circle")
    expect(page.get_by_role("main")).to_contain_text("Nobody is in your circle yet.")
    me.follow(page.get_by_role("link", name="Invite someone to my circle"))
    expect(heading(page)).to_have_text("Invite someone to my circle")
    page.get_by_label("Their name").fill(SUPPORTER_INVITED_AS)
    page.get_by_role("group", name="They are my").get_by_role("radio", name=re.compile("^peer supporter")).check()
    page.get_by_label("How I describe them (optional)").fill("my peer worker at the drop-in")
    expect(page.get_by_label("Their email address (optional)")).to_have_value("")
    me.follow(page.get_by_role("button", name="Create the invitation"))
    expect(heading(page)).to_have_text("Invitation ready")
    expect(page.get_by_role("main")).to_contain_text("It works once")
    link = page.get_by_label("Invitation link").input_value()
    assert link.startswith(live_server.url + "/circle/join/"), link

    # 2. The supporter opens the link in their own browser, creates an account and joins.
    them.goto(link.removeprefix(live_server.url))
    expect(heading(their_page)).to_have_text("Join Pat's circle")
    expect(their_page.get_by_role("main")).to_contain_text("invited you as their peer supporter")
    their_page.get_by_label("Email address").fill(SUPPORTER_EMAIL)
    their_page.get_by_label("Password").fill(SUPPORTER_PASSWORD)
    their_page.get_by_label("Your full name").fill(SUPPORTER)
    them.follow(their_page.get_by_role("button", name="Create my account and join"))
    # Joining shares nothing, and the plan and safety plan alone leave two-step sign-in the supporter's choice
    # (verification/requirement.py), so they go straight to where joining was going.
    expect(their_page).to_have_url(live_server.url + "/people/")
    expect(their_page.get_by_role("status")).to_contain_text("You are in their circle.")
    expect(heading(their_page)).to_have_text("People I support")
    expect(their_page.get_by_role("main")).to_contain_text("Nobody shares anything with you at the moment.")
    expect(their_page.get_by_role("main")).not_to_contain_text(MEANING)
    supporter = User.objects.get(email=SUPPORTER_EMAIL)

    # The link worked once: opening it again is refused, politely.
    visit_refused(them, link.removeprefix(live_server.url), title="This invitation cannot be used")

    # Joining shared nothing: the plan of Pat's the supporter would read is still closed to them.
    visit_refused(them, f"/plan/of/{pat.public_id}/")
    them.goto("/people/")  # and the supporter leaves "People I support" open

    # 3. Pat shares her plan, and only her plan, to see and suggest changes.
    me.goto("/circle/")
    card = page.get_by_role("region", name=SUPPORTER)
    expect(card).to_contain_text("Peer supporter (expert by experience) · my peer worker at the drop-in")
    expect(card).to_contain_text(f"{SUPPORTER} sees nothing of yours yet.")
    expect(page.get_by_role("region", name="Invitations not yet accepted")).to_have_count(0)
    me.follow(card.get_by_role("link", name=f"Share something with {SUPPORTER}"))
    expect(heading(page)).to_have_text(f"Share with {SUPPORTER}")
    groups = page.locator(".share-grid").get_by_role("group")
    # One per category Pat can share: her organisation does not keep counselling notes apart.
    shareable = [category for category in Category if category != Category.COUNSELLING_NOTES]
    expect(groups).to_have_count(len(shareable))
    for index in range(len(shareable)):
        expect(groups.nth(index).get_by_role("radio", name="Not shared")).to_be_checked()
    plan_group = page.get_by_role("group", name="My recovery plan", exact=True)
    expect(plan_group.get_by_role("radio")).to_have_count(3)  # not shared, see, see and suggest changes
    plan_group.get_by_role("radio", name="See and suggest changes").check()
    expect(page.get_by_label("What is the sharing for?")).to_have_value(PURPOSE)
    until = page.get_by_role("group", name="How long")
    until.get_by_role("radio", name="Until I revoke it").check()
    page.get_by_label("Type your full name to sign").fill("Pat")
    me.follow(page.get_by_role("button", name="Sign and share"))
    expect(heading(page)).to_have_text(re.compile(r"^Plan — signed \d{1,2} \w{3} \d{4}$"))
    expect(page.get_by_role("main")).to_contain_text(f"Consent to share information with {SUPPORTER}")
    expect(page.get_by_role("status")).to_contain_text(f"Signed. {SUPPORTER} can now see what you chose.")
    consent = page.locator("pre.consent")
    expect(consent).to_contain_text(PURPOSE)
    expect(consent).to_contain_text("my recovery plan")

    me.follow(page.get_by_role("navigation", name="Main").get_by_role("link", name="My circle"))
    card = page.get_by_role("region", name=SUPPORTER)
    sees = card.get_by_role("list", name="What they see").get_by_role("listitem")
    expect(sees).to_have_count(1)
    expect(sees).to_contain_text("See and suggest changes my recovery plan")
    expect(sees.get_by_role("link", name=f"Stop sharing plan with {SUPPORTER}")).to_be_visible()
    expect(card).not_to_contain_text("check-ins")
    consents = card.get_by_role("list", name="Consents in force").get_by_role("listitem")
    expect(consents).to_contain_text(re.compile(r"^Plan — signed .*, until you revoke it"))

    # 4. The supporter reloads "People I support" and finds Pat, with the plan as the one thing shared.
    them.reload()
    person = their_page.get_by_role("region", name=re.compile(r"^Pat\b"))
    expect(person).to_contain_text("(she/her)")
    expect(person.get_by_role("listitem")).to_have_text(["My recovery plan (see and suggest changes)"])
    them.follow(person.get_by_role("link", name="See Pat's plan"))
    expect(their_page).to_have_url(live_server.url + f"/plan/of/{pat.public_id}/")
    expect(heading(their_page)).to_have_text("Pat's recovery plan")
    expect(their_page.get_by_role("note")).to_contain_text("Protected information.")
    expect(their_page.get_by_role("region", name="What recovery means to Pat")).to_contain_text(MEANING)
    goal = their_page.get_by_role("region", name="Health", exact=True).get_by_role("article", name=GOAL)
    expect(goal).to_contain_text(WHY)
    expect(goal.get_by_role("listitem")).to_have_text(FIRST_STEPS)
    # Reading is all the plan grant allows on Pat's own steps: nothing to tick off or change.
    expect(goal.get_by_role("button")).to_have_count(0)
    expect(goal.get_by_role("link")).to_have_count(0)
    plan_url = their_page.url

    # Nothing that was not granted is within reach: Pat's safety plan and check-ins stay closed, and her
    # progress page shows only what comes from her plan.
    visit_refused(them, f"/safety/of/{pat.public_id}/")
    them.goto(f"/people/{pat.public_id}/progress/")
    expect(their_page.get_by_role("heading", name="Wins and steps done each week")).to_be_visible()
    expect(their_page.get_by_role("main")).not_to_contain_text("Mood (weekly average")
    expect(their_page.get_by_role("main")).not_to_contain_text("Days checked in")
    # A supporter has no circle, consents or access log of their own: those pages are for people in recovery.
    visit_refused(them, "/circle/grants/")
    visit_refused(them, "/circle/access-log/")
    visit_refused(them, "/circle/")
    visit_refused(them, f"/plan/of/{uuid.uuid4()}/")  # nobody's
    visit_refused(them, f"/plan/of/{rue.public_id}/")  # someone real, who shares nothing with them
    visit_refused(them, "/plan/wins/")  # the plan pages are each person's own
    assert not AccessLogEntry.objects.filter(person_ref=str(rue.public_id), allowed=True).exists()

    # 5. The supporter suggests a small step for Pat's goal.
    them.goto(plan_url.removeprefix(live_server.url))
    step_form = their_page.get_by_role("form", name="A step")
    expect(step_form.get_by_label("For which goal")).to_have_value(str(pat.plan.goals.get().pk))
    step_form.get_by_label("Step you would suggest").fill(SUGGESTED)
    them.follow(step_form.get_by_role("button", name="Suggest this step"))
    expect(their_page).to_have_url(plan_url)
    expect(their_page.get_by_role("status")).to_contain_text("Sent. It waits on Pat's plan")
    # A suggestion changes nothing until Pat accepts it.
    expect(their_page.get_by_role("article", name=GOAL).get_by_role("listitem")).to_have_text(FIRST_STEPS)

    # 6. Pat finds the suggestion on her plan, rewords it and adds it.
    me.follow(page.get_by_role("navigation", name="Main").get_by_role("link", name="My plan"))
    suggestions = page.get_by_role("region", name="Suggestions from your circle")
    expect(suggestions.get_by_role("listitem")).to_have_count(1)
    expect(suggestions).to_contain_text(f"{SUPPORTER} suggests a step: “{SUGGESTED}” for “{GOAL}”")
    me.follow(suggestions.get_by_role("link", name=re.compile("^Accept, reword or decline")))
    expect(heading(page)).to_have_text(f"A suggestion from {SUPPORTER}")
    in_my_words = page.get_by_label("In my words")
    expect(in_my_words).to_have_value(SUGGESTED)
    in_my_words.fill(REWORDED)
    me.follow(page.get_by_role("button", name="Add to my plan"))
    expect(page).to_have_url(live_server.url + "/plan/")
    expect(page.get_by_role("status")).to_contain_text("Added to your plan.")
    expect(page.get_by_role("region", name="Suggestions from your circle")).to_have_count(0)
    steps = page.get_by_role("region", name="Health", exact=True).get_by_role("article", name=GOAL).get_by_role(
        "listitem")
    expect(steps).to_have_count(3)
    expect(steps.filter(has_text=REWORDED)).to_have_count(1)
    expect(steps.filter(has_text=SUGGESTED)).to_have_count(0)

    # The supporter sees the step as Pat worded it.
    them.goto(plan_url.removeprefix(live_server.url))
    their_steps = their_page.get_by_role("article", name=GOAL).get_by_role("listitem")
    expect(their_steps).to_have_text([*FIRST_STEPS, REWORDED])

    # 7. Pat revokes the consent from her circle page.
    me.follow(page.get_by_role("navigation", name="Main").get_by_role("link", name="My circle"))
    card = page.get_by_role("region", name=SUPPORTER)
    me.follow(card.get_by_role("link", name=re.compile(rf"^Revoke\s+the consent for {SUPPORTER}")))
    expect(heading(page)).to_have_text("Revoke this consent?")  # asked once, naming what ends
    expect(page.get_by_role("main")).to_contain_text(f"{SUPPORTER} will no longer see your plan.")
    me.follow(page.get_by_role("button", name="Revoke this consent"))
    expect(page.get_by_role("status")).to_contain_text(f"Revoked. {SUPPORTER} can no longer see")
    card = page.get_by_role("region", name=SUPPORTER)
    expect(card).to_contain_text(f"{SUPPORTER} sees nothing of yours")
    expect(card.get_by_role("link", name=re.compile("^Revoke"))).to_have_count(0)

    # 8. The supporter's very next request for Pat's plan, in the same open session, is refused.
    assert their_page.url == plan_url
    expect_refused(them, their_page.reload, f"/plan/of/{pat.public_id}/ after the consent was revoked")
    expect(their_page.get_by_role("main")).not_to_contain_text(MEANING)
    expect(their_page.get_by_role("main")).not_to_contain_text(GOAL)
    them.goto("/people/")
    expect(their_page.get_by_role("main")).to_contain_text("Nobody shares anything with you at the moment.")
    expect(their_page.get_by_role("main")).not_to_contain_text("Pat")

    # 9. Pat reads who has seen her information: each of the supporter's views, and the refusal.
    me.follow(page.get_by_role("navigation", name="Main").get_by_role("link", name="Who has seen my information"))
    expect(heading(page)).to_have_text("Who has seen my information")
    me.follow(page.get_by_role("link", name="Who looked"))  # the reads; consent changes have their own tab
    logged = list(AccessLogEntry.objects.reads().filter(person_ref=str(pat.public_id),
                                                        viewer_ref=str(supporter.public_id))
                  .order_by("-sequence"))
    seen = [entry for entry in logged if entry.allowed]
    refused = [entry for entry in logged if not entry.allowed]
    # Seen: "People I support" once, the plan four times, and the suggestion itself.
    assert len(seen) >= 6, [(e.action, e.allowed) for e in logged]
    # Refused: the plan once before any consent existed and once right after it was revoked; and, while the
    # consent held, her safety plan, check-ins, measures and use log, which it never covered.
    refused_what = sorted(entry.category for entry in refused)
    assert refused_what == ["checkins", "measures", "plan", "plan", "safety_plan", "use_log"], refused_what
    assert not logged[0].allowed, "the newest entry should be the refusal after revoking"
    labels = {"plan": "my recovery plan", "checkins": "my daily check-ins", "measures": "my recovery measures",
              "safety_plan": "my safety plan", "use_log": "my use log"}
    rows = log_entries(page).filter(has_text=SUPPORTER)
    expect(rows).to_have_count(len(logged))
    for index, entry in enumerate(logged):
        fields = rows.nth(index).locator("dd")
        expect(fields.nth(1)).to_have_text(SUPPORTER)
        expect(fields.nth(2)).to_have_text("peer supporter")
        expect(fields.nth(3)).to_have_text(labels[entry.category])
        # What the progress page merely left out reads as that, not as a refusal of something she tried to open.
        outcome = "Seen" if entry.allowed else "Not shown" if entry.purpose.startswith("opened ") else "Refused"
        expect(fields.nth(4)).to_have_text(outcome)
    expect(rows.filter(has=page.locator("dd", has_text=re.compile("^(Refused|Not shown)$")))).to_have_count(
        len(refused))
    expect(rows.first.locator("dd").nth(4)).to_have_text("Refused")
    expect(rows.filter(has=page.get_by_role("link", name="Your consent"))).to_have_count(len(seen))
    expect(page.get_by_role("list", name=re.compile("newest first$"))).not_to_contain_text("Rue")

    # Pat can narrow the list to the refusals.
    page.get_by_label("Outcome").select_option("refused")
    me.follow(page.get_by_role("button", name="Show"))
    expect(log_entries(page).filter(has_text=SUPPORTER)).to_have_count(len(refused))

    # And to the changes to what she shares: the consent she signed, then revoked.
    me.follow(page.get_by_role("link", name="Changes to what I share"))
    changes = log_entries(page).filter(has_text=SUPPORTER)
    expect(changes).to_have_count(2)
    expect(changes.first).to_contain_text("You revoked a consent")
    expect(changes.last).to_contain_text("You signed a consent for them")

    failures = []
    for who, screen in (("Pat", me), ("the supporter", them)):
        try:
            screen.assert_clean()
        except AssertionError as problem:
            failures.append(f"--- {who} ---\n{problem}")
    assert not failures, "\n\n".join(failures)
