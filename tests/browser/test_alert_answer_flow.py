"""A crisis alert a supporter can answer, and one that travels on when nobody does.

First journey (phone and desktop, every page audited): Kai's risk answer in the daily check-in tells Sam; Sam
opens the notification, finds the alert with Kai's safety plan and a number to tap, and says "I'm reaching
out"; Kai's page, open in another browser, shows it without being reloaded.

Second journey, as deployed: the server and the real worker (`manage.py run_worker`) as processes on one SQLite
file. Mia chooses a one-minute wait and puts Bea in round 2; nobody answers her alert, the worker is killed
(SIGKILL) during the wait and started again, and once the wait is over Bea is told, then the organisation's
on-duty professional, only if Mia allowed it. The wait is "over" by moving the alert's due time into the past
in the database, the only state the worker keeps.
"""
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing

import pytest
from django.conf import settings
from playwright.sync_api import expect

from conftest import PASSWORD, give_authenticator, totp_code
from pathways.circle import services as circle_services
from pathways.circle.models import SupporterRole
from pathways.people.models import PersonProfile, User
from pathways.people.services import person_sign_up
from pathways.safety import services as safety_services
from pathways.safety.models import CrisisAlert

from .conftest import PHONE, AuditedPage
from .test_crisis_alert_once import ROOT, environment, free_port, manage, wait_until_serving

pytestmark = pytest.mark.browser

FIRST_SCREEN = PHONE["viewport"]["height"]


def log_in(screen: AuditedPage, email: str, *, code_for: User | None = None) -> None:
    page = screen.page
    device = give_authenticator(code_for) if code_for else None
    screen.goto("/account/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    screen.follow(page.get_by_role("button", name="Log in"))
    if device is not None:  # a supporter told of alerts signs in with two steps
        page.get_by_label("Code").fill(totp_code(device))
        screen.follow(page.get_by_role("button", name="Continue"))


def check_in_with_risk(screen: AuditedPage) -> None:
    page = screen.page
    screen.follow(page.get_by_role("link", name="Check in"))
    group = page.get_by_role("group", name="Have I had thoughts of harming myself?")
    screen.activate(group.get_by_role("radio", name="Some passing thoughts", exact=True))
    screen.follow(page.get_by_role("button", name="Save my check-in"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for telling us")


@pytest.fixture
def kai(transactional_db):
    """Kai, in New Zealand, shares crisis alerts and the safety plan with Sam."""
    kai = person_sign_up(email="kai@example.org", password=PASSWORD, preferred_name="Kai", pronouns="he/him")
    PersonProfile.objects.filter(user=kai).update(country="NZ")
    safety_services.safety_plan_save(person=kai, people_to_ask="My cousin Mere 021 555 0123",
                                     reasons_for_living="Surf at dawn")
    sam = User.objects.create_user(email="sam@example.org", password=PASSWORD, preferred_name="Sam")
    _, token = circle_services.invitation_create(person=kai, role=SupporterRole.PEER_SUPPORTER, name="Sam")
    member = circle_services.invitation_accept(token=token, supporter=sam)
    circle_services.grant_create(member=member, items={"crisis_alerts": "view", "safety_plan": "view"},
                                 purpose="Support", signature="Kai Example")
    return kai


@pytest.mark.parametrize("phone", [True, False], ids=["phone", "desktop"])
def test_a_supporter_answers_and_the_person_sees_it_without_reloading(open_audited, kai, phone):
    person = open_audited(phone=phone)
    log_in(person, "kai@example.org")
    check_in_with_risk(person)
    alert = CrisisAlert.objects.get(person=kai)
    person.goto(f"/safety/now/{alert.pk}/")
    waiting = person.page.get_by_role("region", name="Who is reaching out")
    expect(waiting).to_contain_text("Nobody has said yet")
    person.page.evaluate("window.stillTheSamePage = true")  # gone if the page were reloaded

    helper = open_audited(phone=phone)
    page = helper.page
    log_in(helper, "sam@example.org", code_for=User.objects.get(email="sam@example.org"))
    helper.goto("/notifications/")
    helper.follow(page.get_by_role("link", name="Kai may need support now"))
    expect(page).to_have_url(f"{helper.base_url}/safety/alerts/{alert.public_id}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kai may need support now")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Pronouns: he/him")
    expect(main).to_contain_text("not what he answered")
    expect(main).to_contain_text("Surf at dawn")
    expect(main.get_by_role("link", name="021 555 0123")).to_have_attribute("href", "tel:+64215550123")
    button = page.get_by_role("button", name="I’m reaching out")
    if phone:
        box = button.bounding_box()
        assert box is not None and box["y"] + box["height"] <= FIRST_SCREEN, box
    helper.follow(button)
    expect(page.get_by_role("status").first).to_contain_text("Kai can see that you are reaching out")

    expect(waiting).to_contain_text("Sam is reaching out to you", timeout=15_000)  # htmx asked again by itself
    assert person.page.evaluate("window.stillTheSamePage === true")
    person.audit("the support page after it updated itself")
    person.assert_clean()
    helper.assert_clean()


# --- nobody answers: the real worker --------------------------------------------------------------------

SEED = f"""
from pathways.circle import services as circle
from pathways.people import services as people
from pathways.people.models import Membership, PersonProfile, Role, User
from pathways.people.services import person_sign_up
organisation = people.organisation_create(name="Harbour Lights Programme")
oli = User.objects.create_user(email="oli@example.org", password={PASSWORD!r}, preferred_name="Oli",
                               home_organisation=organisation)
Membership.objects.create(organisation=organisation, user=oli, role=Role.PROFESSIONAL)
ada = User.objects.create_user(email="ada@example.org", password={PASSWORD!r}, preferred_name="Ada",
                               home_organisation=organisation)
Membership.objects.create(organisation=organisation, user=ada, role=Role.ADMIN)
people.organisation_settings_update(organisation=organisation, country="IE", time_zone="", on_duty_professional=oli.pk)
mia = person_sign_up(email="mia@example.org", password={PASSWORD!r}, preferred_name="Mia")
_, token = people.invitation_create(organisation=organisation, invited_by=ada, email=mia.email, role=Role.PERSON)
people.invitation_accept_existing_account(token=token, user=mia)
for name in ("Sam", "Bea"):
    supporter = User.objects.create_user(email=name.lower() + "@example.org", password={PASSWORD!r},
                                         preferred_name=name)
    _, token = circle.invitation_create(person=mia, role="ally", name=name)
    member = circle.invitation_accept(token=token, supporter=supporter)
    circle.grant_create(member=member, items={{"crisis_alerts": "view"}}, purpose="Support", signature="Mia")
"""


def told(database, email: str) -> int:
    with closing(sqlite3.connect(database, timeout=20)) as db:
        return db.execute("SELECT count(*) FROM notifications_notification n JOIN people_user u "
                          "ON u.id = n.recipient_id WHERE u.email = ? AND n.kind = 'crisis_alert'",
                          (email,)).fetchone()[0]


def alert_state(database) -> tuple:
    with closing(sqlite3.connect(database, timeout=20)) as db:
        return db.execute("SELECT round, next_round_at, on_duty_told_id FROM safety_crisisalert").fetchone()


def wait_over(database) -> None:
    """The person's wait has passed: the due time, all the worker goes by, is now in the past."""
    with closing(sqlite3.connect(database, timeout=20)) as db, db:
        db.execute("UPDATE safety_crisisalert SET next_round_at = '2000-01-01 00:00:00' "
                   "WHERE next_round_at IS NOT NULL")


def eventually(check, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "waited too long"
        time.sleep(0.2)


def start_worker(env) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "run_worker", "--interval", "0.2"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


@pytest.fixture
def site(tmp_path):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("runs its own processes on their own SQLite file; once per suite is enough")
    env = environment(tmp_path, free_port())  # nothing listens there: emails wait, which is all this needs
    manage(env, "migrate", "-v0")
    manage(env, "shell", "-c", SEED)
    port = free_port()
    server = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "runserver", "--noreload",
                               f"127.0.0.1:{port}"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    workers = [start_worker(env)]
    try:
        wait_until_serving(f"http://127.0.0.1:{port}", server)
        yield f"http://127.0.0.1:{port}", env, tmp_path / "pathways.sqlite3", workers
    finally:
        for process in (*workers, server):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=30)


@pytest.mark.parametrize("on_duty_allowed", [True, False], ids=["on-duty-allowed", "on-duty-not-allowed"])
def test_when_nobody_answers_the_worker_tells_the_next_round_then_on_duty_if_allowed(new_context, site,
                                                                                      on_duty_allowed):
    url, env, database, workers = site
    screen = AuditedPage(page=new_context(**PHONE).new_page(), base_url=url, touch=True, check_reflow=True)
    page = screen.page
    log_in(screen, "mia@example.org")
    screen.follow(page.get_by_role("banner").get_by_role("link", name="My safety plan"))
    screen.follow(page.get_by_role("link", name="Choose who hears of a crisis alert first"))
    expect(page.get_by_role("heading", level=1)).to_have_text("How my crisis alerts reach people")
    screen.activate(page.get_by_role("group", name="When to tell Bea").get_by_role("radio", name="If nobody answers"))
    page.get_by_label("How long to wait for someone to answer").fill("1")
    on_duty = page.get_by_label("If nobody in my circle answers, tell my organisation’s on-duty professional")
    if on_duty_allowed:
        screen.activate(on_duty)
    screen.follow(page.get_by_role("button", name="Save"))
    expect(page.get_by_role("status").first).to_contain_text("Saved how your crisis alerts reach people")

    check_in_with_risk(screen)
    expect(page.get_by_role("status").first).to_contain_text("we let Sam know just now")
    assert (told(database, "sam@example.org"), told(database, "bea@example.org")) == (1, 0)
    assert alert_state(database)[1] is not None  # Bea is due in a minute if nobody answers

    workers[0].send_signal(signal.SIGKILL)  # the worker dies during the wait
    workers[0].wait(timeout=30)
    time.sleep(1)
    assert told(database, "bea@example.org") == 0  # the minute is not over
    workers.append(start_worker(env))

    wait_over(database)
    eventually(lambda: told(database, "bea@example.org") == 1)
    alert_round, due, on_duty_told = alert_state(database)
    assert alert_round == 2 and on_duty_told is None
    assert (due is not None) == on_duty_allowed  # the on-duty professional is next only if Mia allowed it

    if on_duty_allowed:
        wait_over(database)
        eventually(lambda: told(database, "oli@example.org") == 1)
        _, due, on_duty_told = alert_state(database)
        assert due is None and on_duty_told is not None  # nobody is left to tell
    time.sleep(1.5)  # a few more rounds of the worker: nobody is told twice, nobody else at all
    assert (told(database, "sam@example.org"), told(database, "bea@example.org"),
            told(database, "oli@example.org")) == (1, 1, 1 if on_duty_allowed else 0)
    screen.assert_clean()
