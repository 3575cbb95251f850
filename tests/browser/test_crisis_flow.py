"""A crisis path that never fails, on a 390×844 phone: a number to tap on the first screen whatever is waiting,
a lapse and a hard day answered with the person's own plan, and the safety plan in reach on every page.

The alert that goes out once per rise, counted by a real worker and a real SMTP server, is in
test_crisis_alert_once.py.
"""
import socket

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from playwright.sync_api import expect

from pathways.checkins.models import GentleNote
from pathways.circle import services as circle_services
from pathways.circle.models import SupporterRole
from pathways.people.models import PersonProfile, User
from pathways.people.services import person_sign_up
from pathways.plans import services as plan_services
from pathways.safety import services as safety_services
from pathways.web import demo

from .conftest import PHONE

pytestmark = pytest.mark.browser

PASSPHRASE = "harbour lights at dusk"
FIRST_SCREEN = PHONE["viewport"]["height"]


class Inbox:
    """What the SMTP server accepted, message by message."""

    def __init__(self):
        self.messages: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.content.decode("utf-8", "replace")))
        return "250 2.0.0 Accepted"


@pytest.fixture
def smtp_inbox(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    yield inbox
    controller.stop()


def person(email: str, *, country: str = "", name: str = "Kai") -> User:
    account = person_sign_up(email=email, password=PASSPHRASE, preferred_name=name)
    if country:
        PersonProfile.objects.filter(user=account).update(country=country)
    return account


@pytest.fixture
def kai(transactional_db):
    """Kai lives in New Zealand, has a safety plan, and asked Sam (not Lee) to be told in a crisis."""
    kai = person("kai@example.org", country="NZ")
    safety_services.safety_plan_save(person=kai, people_to_ask="My cousin Mere 021 555 0123",
                                     reasons_for_living="Surf at dawn")
    for email, name, items in (("sam@example.org", "Sam", {"crisis_alerts": "view"}),
                               ("lee@example.org", "Lee", {"plan": "view", "checkins": "view"})):
        supporter = User.objects.create_user(email=email, password=PASSPHRASE, preferred_name=name)
        _, token = circle_services.invitation_create(person=kai, role=SupporterRole.PEER_SUPPORTER, name=name)
        member = circle_services.invitation_accept(token=token, supporter=supporter)
        circle_services.grant_create(member=member, items=items, purpose="Support", signature="Kai Example")
    return kai


def log_in(screen, email: str, password: str = PASSPHRASE) -> None:
    page = screen.page
    screen.goto("/account/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    screen.follow(page.get_by_role("button", name="Log in"))


def answer(screen, question: str, choice: str) -> None:
    screen.activate(screen.page.get_by_role("group", name=question).get_by_role("radio", name=choice, exact=True))


def check_in(screen, *answers: tuple[str, str], lapse_note: str = "") -> None:
    page = screen.page
    screen.follow(page.get_by_role("link", name="Check in"))
    for question, choice in answers:
        answer(screen, question, choice)
    if lapse_note:
        screen.activate(page.get_by_label("Today included a lapse I want to note"))
        page.get_by_label("What was happening (optional)").fill(lapse_note)
    screen.follow(page.get_by_role("button", name="Save my check-in"))


def assert_on_first_screen(page, locator) -> None:
    """Visible without scrolling: inside the first 844 px of a phone, and not hidden under anything."""
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= FIRST_SCREEN, box
    on_top = page.evaluate("([x, y]) => document.elementFromPoint(x, y)?.closest('a')?.href ?? ''",
                           [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
    assert on_top.startswith("tel:"), f"something covers the number: {on_top!r}"


def test_a_risk_answer_puts_a_number_to_tap_on_the_first_screen_even_with_a_note_waiting(open_audited, kai,
                                                                                          smtp_inbox):
    GentleNote.objects.create(person=kai, rule="lonely_most_days", explanation={"summary": "x", "answers": []})
    screen = open_audited(phone=True)
    page = screen.page
    log_in(screen, "kai@example.org")
    expect(page.locator(".gentle-note")).to_be_visible()  # the note is waiting on the plan page
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= 100, header

    check_in(screen, ("Have I had thoughts of harming myself?", "Some passing thoughts"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for telling us")
    lines = page.get_by_role("region", name="People you can reach right now")
    assert_on_first_screen(page, lines.locator('a[href^="tel:"]').first)
    expect(lines.locator('a[href^="tel:"]').first).to_have_attribute("href", "tel:111")  # emergency first
    expect(lines.get_by_role("link", name="Call 1737")).to_be_visible()
    expect(lines.locator('a[href="sms:1737"]')).to_be_visible()
    expect(lines).not_to_contain_text("116 123")
    expect(page.locator(".gentle-note")).to_have_count(0)  # it waits for another page
    main = page.get_by_role("main")
    expect(main).to_contain_text("Surf at dawn")
    expect(main.get_by_role("link", name="021 555 0123")).to_have_attribute("href", "tel:+64215550123")
    expect(page.get_by_role("status")).to_contain_text("we let Sam know just now")
    expect(page.get_by_role("status")).not_to_contain_text("Lee")
    expect(page.get_by_role("link", name="My safety plan")).to_be_visible()

    call_command("run_worker", "--once")  # the background worker's round, in this process
    assert [to for to, _ in smtp_inbox.messages] == [["sam@example.org"]]
    body = smtp_inbox.messages[0][1]
    assert "harm" not in body.lower() and "Kai" not in body  # the email says only that there is a notification
    screen.assert_clean()


def test_with_no_country_known_every_countrys_emergency_number_is_on_the_first_screen(new_context, live_server,
                                                                                       transactional_db):
    from .conftest import AuditedPage

    person("ren@example.org", name="Ren")  # no country chosen, no organisation
    context = new_context(locale="de-DE", **PHONE)  # and a browser whose language names no country we ship
    screen = AuditedPage(page=context.new_page(), base_url=live_server.url, touch=True, check_reflow=True)
    page = screen.page
    log_in(screen, "ren@example.org")
    check_in(screen, ("Have I had thoughts of harming myself?", "Yes, strong thoughts"))

    lines = page.get_by_role("region", name="People you can reach right now")
    expect(lines).to_contain_text("In immediate danger, call the emergency number where you are")
    assert_on_first_screen(page, lines.locator(".emergency-numbers a").first)
    for number in ("911", "999", "000", "111", "112"):
        expect(lines.locator(f'.emergency-numbers a[href="tel:{number}"]')).to_have_count(1)
    expect(lines.get_by_role("link", name="Choose your country")).to_be_visible()
    screen.assert_clean()


def test_a_visitor_finds_a_number_on_the_first_screen_of_the_crisis_lines(new_context, live_server, db):
    from .conftest import AuditedPage

    context = new_context(locale="en-GB", **PHONE)
    screen = AuditedPage(page=context.new_page(), base_url=live_server.url, touch=True, check_reflow=True)
    page = screen.page
    screen.goto("/")
    screen.follow(page.get_by_role("banner").get_by_role("link", name="Crisis lines"))
    lines = page.get_by_role("region", name="People you can reach right now")
    assert_on_first_screen(page, lines.locator('a[href^="tel:"]').first)
    expect(lines.locator('a[href^="tel:"]').first).to_have_attribute("href", "tel:999")
    expect(lines.locator('a[href="tel:03001236600"]')).to_be_visible()  # FRANK, beside Samaritans
    screen.assert_clean()


def test_a_lapse_on_the_harm_reduction_pathway_is_answered_with_their_plan_and_a_safer_use_card(open_audited,
                                                                                                 transactional_db):
    jo = person("jo@example.org", country="US", name="Jo")
    plan_services.pathways_set(plan=jo.plan, actor=jo, chosen={"harm_reduction": ""})
    plan_services.lapse_plan_update(plan=jo.plan, actor=jo, what_i_will_do="Get somewhere warm\nEat something",
                                    who_i_will_tell="Ray (312) 555-0177")
    screen = open_audited(phone=True)
    page = screen.page
    log_in(screen, "jo@example.org")
    check_in(screen, ("Did I use today?", "Yes"), ("I was not alone", "No"), ("Naloxone was at hand", "No"),
             lapse_note="Bad news from the housing office")

    main = page.get_by_role("main")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for noting it")
    expect(main.get_by_role("region", name="About the lapse you noted")).to_contain_text("does not undo your progress")
    own_plan = main.get_by_role("region", name="If I use or lapse")
    expect(own_plan).to_contain_text("Get somewhere warm")
    expect(own_plan.get_by_role("link", name="(312) 555-0177")).to_have_attribute("href", "tel:3125550177")
    safer = main.get_by_role("region", name="Staying safer when you use")
    expect(safer).to_contain_text("Start low, go slow")
    expect(safer.locator('a[href="tel:18004843731"]')).to_be_visible()  # Never Use Alone, as data
    expect(safer.locator('a[href="tel:911"]')).to_be_visible()

    # What was happening shows up again where Jo looks back.
    screen.follow(main.get_by_role("link", name="Continue to my progress"))
    expect(page.get_by_role("region", name="Lapses, and what I learned")).to_contain_text(
        "Bad news from the housing office")
    screen.assert_clean()


def test_a_hard_day_without_signs_is_answered_with_the_persons_own_steps(open_audited, transactional_db):
    ash = person("ash@example.org", country="GB", name="Ash")
    safety_services.safety_plan_save(person=ash, coping_on_my_own="Walk to the allotment\nRing the allotment shop",
                                     people_to_ask="Auntie Bea 020 7946 0321")
    screen = open_audited(phone=True)
    page = screen.page
    log_in(screen, "ash@example.org")
    check_in(screen, ("Cravings today (0 none, 10 very strong)", "8"), ("Hours I slept last night", "4"),
             ("Lonely", "Yes"))

    block = page.get_by_role("region", name="For today, from your own plan")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for checking in on a hard day")
    expect(block).to_contain_text("Walk to the allotment")
    expect(block.get_by_role("link", name="020 7946 0321")).to_have_attribute("href", "tel:+442079460321")
    expect(block.get_by_role("link", name="choose signs for Pathways to watch for")).to_be_visible()

    screen.follow(block.get_by_role("button", name="Don't show this after hard days"))  # Ash's choice
    expect(page.get_by_role("status")).to_contain_text("you will not see that block")
    screen.assert_clean()


@pytest.fixture
def demo_programme(transactional_db):
    """The demo programme: Pat has ninety days of check-ins, a full plan, signs and a safety plan."""
    demo.load_demo()
    pat = User.objects.get(email="pat@demo.pathways.invalid")
    plan_services.win_add(plan=pat.plan, actor=pat, text="A long week, done")
    return pat


@pytest.mark.parametrize("path", ["/plan/", "/warning-signs/", "/people/progress/", "/checkin/", "/safety/"])
def test_the_safety_plan_stays_in_reach_at_the_bottom_of_long_pages(open_audited, demo_programme, path):
    screen = open_audited(phone=True)
    page = screen.page
    log_in(screen, "pat@demo.pathways.invalid", demo.DEMO_PASSWORD)
    screen.goto(path)
    height = page.evaluate("document.documentElement.scrollHeight")
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_function("window.scrollY > 0 || document.documentElement.scrollHeight <= window.innerHeight")
    link = page.get_by_role("banner").get_by_role("link", name="My safety plan")
    expect(link).to_be_in_viewport()
    box = link.bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= FIRST_SCREEN, (path, height, box)
    assert page.evaluate("([x, y]) => document.elementFromPoint(x, y)?.closest('a')?.textContent.trim()",
                         [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2]) == "My safety plan"
    screen.follow(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("My safety plan")
    screen.assert_clean()


def test_the_menu_folds_on_a_phone_and_works_without_javascript(open_audited, demo_programme):
    screen = open_audited(phone=True, javascript=False)
    page = screen.page
    log_in(screen, "pat@demo.pathways.invalid", demo.DEMO_PASSWORD)
    assert page.locator(".site-header").bounding_box()["height"] <= 100
    expect(page.get_by_role("link", name="My circle")).to_be_hidden()
    screen.activate(page.locator("details.menu > summary"))
    screen.follow(page.get_by_role("navigation", name="Main").get_by_role("link", name="My circle"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My circle")
    screen.assert_clean()
