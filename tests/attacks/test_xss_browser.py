"""Stored XSS in a real browser: Pat's and her supporter's pages, full of attack text, run no script of it.

The payloads go in through the services (the form-level attack is test_stored_xss.py); here Chromium
renders every page that shows them, for Pat and for Sam (a supporter with a grant of everything). No
dialog may open (an alert would mean a payload ran) and the console may carry no content-security-policy
refusal or script error (a refusal would mean a payload became a script the policy had to stop).
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.browser

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(2)>'
BREAKOUT = "</script><script>alert(3)</script>"


def _seed(pat, sam):
    """Every kind of text Pat and Sam write, each with attack text in it; returns Sam's grant."""
    from pathways.checkins import services as checkins
    from pathways.circle import services as circle
    from pathways.circle.models import SupporterRole
    from pathways.circle.tests.test_access_matrix import EVERYTHING
    from pathways.mi.web import services as mi
    from pathways.notifications.services import notify
    from pathways.people import services as people
    from pathways.plans import services as plans
    from pathways.safety import services as safety

    people.profile_update(user=pat, preferred_name=ATTRIBUTE, pronouns=SCRIPT[:40], name=BREAKOUT,
                          culture=SCRIPT, language=ATTRIBUTE, faith=BREAKOUT, what_helps=SCRIPT)
    plan = pat.plan
    plans.recovery_meaning_update(plan=plan, actor=pat, text=SCRIPT + BREAKOUT)
    plans.strength_add(plan=plan, actor=pat, kind="mine", text=ATTRIBUTE)
    goal = plans.goal_create(plan=plan, actor=pat, dimension="health", title=SCRIPT, why_it_matters=BREAKOUT,
                             first_steps=[ATTRIBUTE])
    plans.win_add(plan=plan, actor=pat, text=BREAKOUT)
    checkins.daily_checkin_save(person=pat, day=timezone.localdate(), answers={"mood": 2, "note": SCRIPT})
    checkins.recovery_checkin_record(person=pat, answers={}, dimension_ratings={"health": 6})
    checkins.warning_sign_add(person=pat, stage="emotional", sign=SCRIPT, what_i_will_do=ATTRIBUTE)
    checkins.trigger_add(person=pat, trigger=ATTRIBUTE, what_helps=BREAKOUT)
    safety.safety_plan_save(person=pat, warning_signs=SCRIPT, reasons_for_living=BREAKOUT)
    mi.save_transcript(pat, SCRIPT, f"Counsellor: What matters?\nPerson: {BREAKOUT}")
    notify(recipient=pat, kind="early_warning", title=SCRIPT, body=ATTRIBUTE, link="/plan/")
    people.profile_update(user=sam, preferred_name=SCRIPT[:80], pronouns="", name=ATTRIBUTE, culture="",
                          language="", faith="", what_helps="")
    _, token = circle.invitation_create(person=pat, role=SupporterRole.PEER_SUPPORTER, name=ATTRIBUTE,
                                        relationship=SCRIPT[:120])
    member = circle.invitation_accept(token=token, supporter=sam)
    grant = circle.grant_create(member=member, items=EVERYTHING, purpose=SCRIPT, signature=BREAKOUT,
                                expires_at=timezone.now() + timedelta(days=30))
    plans.suggestion_create(plan=plan, author=sam, kind="step", goal=goal, text=ATTRIBUTE)
    return grant


def _signed_in_page(new_context, base_url: str, user):
    """A browser signed in as `user` with the session a test client made (`force_login` includes any
    second step the account needs: the sign-in pages have their own tests)."""
    client = Client()
    client.force_login(user)
    context = new_context()
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": base_url,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    return context.new_page()


def _watch(page, found: list[str]) -> None:
    page.on("dialog", lambda dialog: (found.append(f"{page.url}: a dialog opened: {dialog.message}"),
                                      dialog.dismiss()))
    page.on("console", lambda message: message.type == "error" and found.append(f"{page.url}: {message.text}"))
    page.on("pageerror", lambda error: found.append(f"{page.url}: {error}"))


def test_no_payload_runs_on_any_page_pat_or_her_supporter_opens(pat, sam, new_context, live_server):
    grant = _seed(pat, sam)
    found: list[str] = []
    pages = {  # Sam first, so that his reads are in Pat's access log when she opens it
        sam.email: ["/people/", f"/plan/of/{pat.public_id}/", f"/people/{pat.public_id}/progress/",
                    f"/safety/of/{pat.public_id}/", f"/circle/grants/{grant.public_id}/", "/me/"],
        pat.email: ["/plan/", "/plan/history/", "/plan/wins/", "/checkin/", "/checkin/recovery/", "/people/progress/",
                    "/safety/", "/safety/print/", "/circle/", "/circle/grants/", f"/circle/grants/{grant.public_id}/",
                    "/circle/access-log/", "/notifications/", "/warning-signs/", "/mi/saved/", "/me/",
                    "/account/my-data/", reverse("plans:goal", kwargs={"goal_id": pat.plan.goals.first().pk})],
    }
    showing = set()
    for email, paths in pages.items():
        page = _signed_in_page(new_context, live_server.url, pat if email == pat.email else sam)
        _watch(page, found)
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response is not None and response.status == 200, f"{email} {path}: {response and response.status}"
            page.wait_for_load_state("load")
            assert page.url == live_server.url + path, f"{email} {path}: sent on to {page.url}"
            if "alert(" in page.content():  # shown as text: the payload reached the page
                showing.add((email, path))
    assert not found, "\n".join(found)
    # The control: the attack text is really on the pages that show what was written.
    missing = sorted({(e, p) for e, ps in pages.items() for p in ps} - showing)
    assert len(showing) >= 18, "\n".join(map(str, missing))


def test_the_watch_sees_a_payload_that_runs(new_context):
    """The control: markup that does run (set straight into a blank page) is caught by the same watch."""
    page = new_context().new_page()
    found: list[str] = []
    _watch(page, found)
    page.set_content(f"<p>{ATTRIBUTE}</p>")
    page.wait_for_timeout(200)
    assert any("a dialog opened" in problem for problem in found), found
