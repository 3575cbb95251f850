"""Helpers shared by the real-browser tests: an audited page, screen sizes, and signing in.

Every page a test visits goes through `AuditedPage`, which runs axe-core on it, checks the few
structural rules axe leaves to judgement (one h1, one main landmark, unique ids, references that
resolve), and listens for console errors such as content-security-policy refusals. Problems are
collected rather than raised, so one run reports every page that needs work; each test ends with
`audited.assert_clean()`.
"""
from __future__ import annotations

import re
from base64 import b32decode
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page, expect

# The passphrase every person signs up with in these tests.
PASSPHRASE = "river stones and morning light"

# Generous enough for a loaded CI machine, short enough that a broken page fails quickly.
EXPECT_TIMEOUT_MS = 10_000
expect.set_options(timeout=EXPECT_TIMEOUT_MS)

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "screen": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}

# Structural checks that axe either skips or only reports as "needs review".
STRUCTURE_SCRIPT = """() => {
  const problems = [];
  const h1s = document.querySelectorAll('h1');
  if (h1s.length !== 1) problems.push(`expected exactly one h1, found ${h1s.length}`);
  const mains = document.querySelectorAll('main');
  if (mains.length !== 1) problems.push(`expected exactly one main landmark, found ${mains.length}`);
  if (!document.documentElement.lang) problems.push('the html element has no lang attribute');
  if (!document.title.trim()) problems.push('the page has no title');
  const seen = new Map();
  for (const element of document.querySelectorAll('[id]')) {
    seen.set(element.id, (seen.get(element.id) || 0) + 1);
  }
  for (const [id, count] of seen) if (count > 1) problems.push(`id "${id}" is used ${count} times`);
  for (const attr of ['aria-describedby', 'aria-labelledby', 'aria-controls']) {
    for (const element of document.querySelectorAll(`[${attr}]`)) {
      for (const id of element.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) problems.push(`${attr}="${id}" on <${element.localName}> points at nothing`);
      }
    }
  }
  for (const link of document.querySelectorAll('a[href^="#"]')) {
    const id = decodeURIComponent(link.getAttribute('href').slice(1));
    if (id && !document.getElementById(id)) problems.push(`link to "#${id}" points at nothing`);
  }
  return problems;
}"""

# WCAG 1.4.10 reflow: at phone width nothing may need sideways scrolling. Content inside its own
# scrolling box (a wide data table in .table-wrap, say) is allowed to be wider; so are hidden things.
OVERFLOW_SCRIPT = """() => {
  const width = document.documentElement.clientWidth;
  const scrollsItself = el => {
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(box).overflowX)) return true;
    }
    return false;
  };
  const wide = [...document.querySelectorAll('body *')].filter(el => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.right > width + 1 && !scrollsItself(el);
  });
  const page = document.documentElement.scrollWidth > width ? [`the page scrolls sideways (${document.documentElement.scrollWidth}px > ${width}px)`] : [];
  return page.concat(wide.slice(0, 5).map(el => el.outerHTML.slice(0, 120)));
}"""


@dataclass
class AuditedPage:
    """A Playwright page whose every visited page is checked for accessibility problems."""

    page: Page
    base_url: str
    touch: bool = False
    check_reflow: bool = False
    javascript: bool = True
    axe: Axe = field(default_factory=Axe)
    problems: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    navigated: list[str] = field(default_factory=list)
    audited: set[str] = field(default_factory=set)

    def __post_init__(self):
        self.page.set_default_timeout(EXPECT_TIMEOUT_MS)
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.console_errors.append(f"{self.path}: {error}"))
        self.page.on("framenavigated", self._on_navigated)

    # --- moving around ---------------------------------------------------------------------------
    @property
    def path(self) -> str:
        parts = urlsplit(self.page.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def goto(self, path: str) -> None:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.ok, f"{path} answered {response and response.status}"
        self.audit()

    def follow(self, target: Locator) -> None:
        """Click (or tap) something that loads a new page, wait for it, and audit it."""
        with self.page.expect_navigation():
            self.activate(target)
        self.audit()

    def activate(self, target: Locator) -> None:
        """Press a button or link the way this device would: a finger on a phone, a mouse elsewhere. A link
        in the folded menu (phones) is reached as a person would: by opening the menu first."""
        if not target.is_visible():
            self.open_menu()
        if self.touch:
            target.tap()
        else:
            target.click()

    def open_menu(self) -> None:
        """Open the header's menu if it is folded (on a phone it is, until "Menu" is pressed)."""
        self._press_menu("details.menu:not([open]) > summary")

    def close_menu(self) -> None:
        """Fold the menu again, as a person does to see the page under it."""
        self._press_menu("details.menu[open] > summary")

    def _press_menu(self, selector: str) -> None:
        summary = self.page.locator(selector)
        if summary.count() and summary.is_visible():
            summary.tap() if self.touch else summary.click()

    def reload(self) -> None:
        self.page.reload()
        self.audit()

    # --- checking --------------------------------------------------------------------------------
    def audit(self, label: str | None = None) -> None:
        """Run axe-core and the structural checks on the page as it is now."""
        self.page.wait_for_load_state("load")
        where = label or self.path
        self.audited.add(_without_fragment(self.page.url))
        if not self.javascript:
            # axe-core is JavaScript, so it cannot run where JavaScript is off. The pages are the same
            # templates the JavaScript journeys audit; here the test checks that they work.
            return
        results = self.axe.run(self.page)
        if results.violations_count:
            self.problems.append(f"axe on {where}:\n{results.generate_report()}")
        for problem in self.page.evaluate(STRUCTURE_SCRIPT):
            self.problems.append(f"{where}: {problem}")
        if self.check_reflow:
            wide = self.page.evaluate(OVERFLOW_SCRIPT)
            if wide:
                self.problems.append(f"{where}: wider than the phone screen: {wide}")

    def assert_clean(self) -> None:
        """Fail with every problem found on the way, each named by the page it was on."""
        report = []
        unaudited = sorted({url for url in self.navigated if url not in self.audited and url != "about:blank"})
        if unaudited:
            report.append("pages visited but never audited:\n" + "\n".join(unaudited))
        if self.console_errors:
            report.append("console errors (CSP refusals, script errors):\n" + "\n".join(self.console_errors))
        if self.problems:
            report.append(f"{len(self.problems)} accessibility problem(s):\n\n" + "\n\n".join(self.problems))
        assert not report, "\n\n".join(report)

    # --- steps the tests share -------------------------------------------------------------------
    def sign_up(self, *, email: str, preferred_name: str, pronouns: str = "", full_name: str = "") -> None:
        """Create an account through the sign-up page, starting from the front door."""
        page = self.page
        self.goto("/")
        self.follow(page.get_by_role("main").get_by_role("link", name="Create an account"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Create your account")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password", exact=True).fill(PASSPHRASE)
        page.get_by_label("What should we call you? (optional)").fill(preferred_name)
        page.get_by_label("Pronouns (optional)").fill(pronouns)
        page.get_by_label("Full name (optional)").fill(full_name)
        self.follow(page.get_by_role("button", name="Create my account"))
        self.finish_sign_up_from_email()

    def finish_sign_up_from_email(self) -> None:
        """After the sign-up form: the worker sends the email (here, in this process), and the link in it
        finishes creating the account."""
        from django.core import mail

        from pathways.outbox.tests.helpers import send_queued_mail

        page = self.page
        expect(page.get_by_role("heading", level=1)).to_have_text("Check your email to finish signing up")
        send_queued_mail()
        link = re.search(r"https?://[^/\s]+(/signup/confirm/\S+/)", mail.outbox[-1].body).group(1)
        self.goto(link)
        expect(page.get_by_role("heading", level=1)).to_have_text("Finish signing up")
        self.follow(page.get_by_role("button", name="Finish creating my account"))
        expect(page).to_have_url(self.base_url + "/plan/")

    def add_goal(self, *, dimension: str, title: str, why: str = "", importance: str | None = None,
                 confidence: str | None = None, steps: tuple[str, ...] = ()) -> None:
        """From the plan page, add a goal to one dimension through that dimension's own link."""
        page = self.page
        section = page.get_by_role("region", name=dimension, exact=True)
        self.follow(section.get_by_role("link", name=f"Add a {dimension.lower()} goal"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Add a goal")
        expect(page.get_by_label("Part of my life")).to_have_value(dimension.lower())
        page.get_by_label("My goal").fill(title)
        if why:
            page.get_by_label("Why this matters to me").fill(why)
        if importance is not None:
            self.choose_on_ruler("How important is this to me? (0–10)", importance)
        if confidence is not None:
            self.choose_on_ruler("How confident am I that I can do it? (0–10)", confidence)
        if steps:
            page.get_by_label("First small steps (optional, one per line)").fill("\n".join(steps))
        self.follow(page.get_by_role("button", name="Add goal"))
        expect(page).to_have_url(self.base_url + "/plan/")
        expect(page.get_by_role("status")).to_contain_text(f"Added your goal “{title}”.")

    def set_up_two_step(self) -> list[str]:
        """From the two-step sign-in page, set up an authenticator app with the key the page writes out, typing
        the code an app would compute from it; returns the recovery codes shown."""
        page = self.page
        self.follow(page.get_by_role("link", name="Set up an authenticator app"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
        expect(page.get_by_role("img", name="QR code to scan with your authenticator app")).to_be_visible()
        page.get_by_label("The 6-digit code from your app").fill(code_from_key(page.locator("#secret-key").inner_text()))
        self.follow(page.get_by_role("button", name="Confirm and turn on"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
        return page.get_by_role("list", name="Recovery codes").locator("code").all_inner_texts()

    def choose_on_ruler(self, question: str, value: str) -> None:
        self.page.get_by_role("group", name=question).get_by_role("radio", name=value, exact=True).check()

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(f"{self.path}: {message.text}")

    def _on_navigated(self, frame) -> None:
        if frame == self.page.main_frame:
            self.navigated.append(_without_fragment(frame.url))


def code_from_key(typed_key: str) -> str:
    """What an authenticator app shows now for a key typed into it (base32, spaces ignored)."""
    from django_otp.oath import totp

    return f"{totp(b32decode(typed_key.replace(' ', '').strip())):06d}"


def _without_fragment(url: str) -> str:
    """Following a link to "#field" stays on the same page, so it needs no audit of its own."""
    return url.split("#", 1)[0]


@pytest.fixture
def audited(page, live_server) -> AuditedPage:
    """The default desktop page, audited."""
    return AuditedPage(page=page, base_url=live_server.url)


@pytest.fixture
def open_audited(new_context, live_server):
    """Open an audited page in a fresh browser context: a phone, or a browser without JavaScript."""

    def _open(*, phone: bool = False, javascript: bool = True) -> AuditedPage:
        options = dict(PHONE) if phone else {}
        context = new_context(java_script_enabled=javascript, **options)
        return AuditedPage(page=context.new_page(), base_url=live_server.url, touch=phone, check_reflow=phone,
                           javascript=javascript)

    return _open
