"""A very long word (a pasted link, a key held down) wraps where it is shown, at desktop and phone width.

Found in issue 24: a goal titled with one 160-character word pushed the goal page's heading 587 px past the
edge of a 1280 px window. Each page here shows such a word in a heading or in the person's own words; none
may scroll sideways, and no heading or entry may be wider than its own box.
"""
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pathways.checkins.models import DailyCheckIn, UseLog
from pathways.people.services import person_sign_up
from pathways.plans import services as plan_services
from pathways.safety import services as safety_services

pytestmark = pytest.mark.browser

PASSPHRASE = "long words on narrow screens"
WORD = "Recovery" * 20  # 160 characters and not one place to break
assert len(WORD) == 160

# Whether the page, and each element holding WORD, fit: the page no wider than the window, each element no
# wider inside than its own box, and no part of it past the window's right edge. `width` is the width the window
# was opened at: a phone zooms out to show a page that overflows, and then reports a wider window.
FITS_SCRIPT = """([word, width]) => {
  const problems = [];
  const page = document.documentElement;
  if (window.innerWidth > width) problems.push(`the phone zoomed out to show ${window.innerWidth}px`);
  if (page.scrollWidth > window.innerWidth) problems.push(`the page is ${page.scrollWidth}px wide in a ${window.innerWidth}px window`);
  const holders = [...document.querySelectorAll('main *')].filter(el =>
    !el.closest('.visually-hidden') &&  // words for screen readers, in a 1 px box on purpose
    [...el.childNodes].some(node => node.nodeType === Node.TEXT_NODE && node.textContent.includes(word)));
  if (!holders.length) problems.push('the long word is not on the page');
  for (const el of holders) {
    const box = el.getBoundingClientRect();
    if (el.scrollWidth > el.clientWidth) problems.push(`<${el.localName}> holds ${el.scrollWidth}px in ${el.clientWidth}px`);
    if (box.right > width + 1) problems.push(`<${el.localName}> ends at ${Math.round(box.right)}px`);
  }
  return problems;
}"""


@pytest.fixture
def pat(transactional_db):
    pat = person_sign_up(email="pat@example.org", password=PASSPHRASE, preferred_name="Pat")
    goal = plan_services.goal_create(plan=pat.plan, actor=pat, dimension="home", title=f"Find {WORD} flat",
                                     why_it_matters=f"Because {WORD}", first_steps=[f"Call {WORD}"])
    safety_services.safety_plan_save(person=pat, reasons_for_living=f"My dog {WORD}",
                                     coping_on_my_own=f"Walk by the {WORD} canal")
    checkin = DailyCheckIn.objects.create(person=pat, day=timezone.localdate(), note=f"Tea and {WORD}")
    UseLog.objects.create(checkin=checkin, is_lapse=True, what_was_happening=f"A hard {WORD} evening",
                          what_i_learned=f"Ring {WORD} sooner")
    pat.goal = goal
    return pat


@pytest.fixture(params=["desktop", "phone"])
def screen(request, open_audited):
    """1280 px wide on a desktop; 390 px on a phone (conftest's PHONE)."""
    if request.param == "phone":
        return open_audited(phone=True)
    screen = request.getfixturevalue("audited")
    screen.page.set_viewport_size({"width": 1280, "height": 800})
    return screen


def test_a_160_character_word_wraps_on_every_page_that_shows_it(screen, pat):
    page = screen.page
    screen.goto("/account/login/")
    page.get_by_label("Email address").fill("pat@example.org")
    page.get_by_label("Password").fill(PASSPHRASE)
    screen.follow(page.get_by_role("button", name="Log in"))

    problems = {}
    for path in (f"/plan/goals/{pat.goal.pk}/", "/plan/", "/safety/", "/safety/print/", "/people/progress/"):
        screen.goto(path)
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_be_visible()
        if path.startswith("/plan/goals/"):
            expect(heading).to_have_text(f"Find {WORD} flat")
        if heading.evaluate("h => h.scrollWidth > h.clientWidth"):
            problems.setdefault(path, []).append("the heading is wider than its box")
        problems.setdefault(path, []).extend(page.evaluate(FITS_SCRIPT, [WORD, page.viewport_size["width"]]))
    assert not {path: found for path, found in problems.items() if found}
    screen.assert_clean()
