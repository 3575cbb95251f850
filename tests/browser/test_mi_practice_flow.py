"""A peer supporter practises replies on a phone, and sees how their last few replies went (issue 29).

Kai, a peer supporter on Harbour Lights' staff, answers six statements: three replies that label or argue, and
three that listen (reflections and open questions). A reply that labels or argues is named for what it is and
never praised; a reply that listens is never called confronting. Then the short list shows how the five newest
were heard — not what was written — and Clear empties it. Every page is audited at phone size
(tests/browser/conftest.py).

The replies are coded by the real model (src/pathways/mi/model). Each was chosen because the model codes it
clearly (confront or persuade well over its threshold, or no non-adherent behaviour at all) rather than near
the line, so retraining the behaviour model should not flip them. If it does, that is worth knowing.
"""
import pytest
from playwright.sync_api import expect

from .test_mi_flow import log_in

pytestmark = pytest.mark.browser

PRAISE = ("Well done", "helps people", "keep doing")

# (statement slug, its first words as the list shows them, the reply, what the feedback names, the list's line)
CONFRONTING = [
    ("not-a-problem", "Honestly, I only smoke at weekends…", "You're an alcoholic and you're in denial.",
     "label or a judgement", "heard as confronting — worth another try"),
    ("friday-drinks", "Everyone at work goes out on…", "So why don't you just stop drinking?",
     "label or a judgement", "heard as confronting — worth another try"),
    ("higher-power", "AA keeps going on about a…", "You need to stop making excuses and get to a meeting.",
     "argument for change", "heard as persuading — worth another try"),
]
LISTENING = [
    ("group-meeting", "I went to a group on…", "How did it feel to be at the group, even without speaking?",
     "open question", "heard as an open question — helps"),
    ("all-the-same", "You lot are all the same…", "You've had enough of people deciding what's best for you.",
     "reflection", "heard as a complex reflection — helps"),
    ("drink-diary", "I've written down every drink for…", "What's helped you get from every night down to three?",
     "open question", "heard as an open question — helps"),
]


@pytest.fixture
def kai(organisation):
    """Kai, a peer supporter on the organisation's staff, with no grant from anyone."""
    from conftest import PASSWORD
    from pathways.people.models import Membership, Role, User

    user = User.objects.create_user(email="kai@example.org", password=PASSWORD, preferred_name="Kai",
                                    home_organisation=organisation)
    Membership.objects.create(organisation=organisation, user=user, role=Role.PEER_SUPPORTER)
    return user


def reply_to(screen, slug: str, reply: str):
    """Open the statement, write the reply, and return the feedback region."""
    page = screen.page
    screen.goto(f"/mi/practice/?s={slug}")
    page.get_by_label("What would you say back?").fill(reply)
    screen.follow(page.get_by_role("button", name="See how my reply reads"))
    return page.get_by_role("region", name="How your reply reads")


def test_a_peer_supporter_practises_and_sees_how_their_last_replies_went(kai, open_audited):
    phone = open_audited(phone=True)
    page = phone.page
    log_in(phone, user=kai)
    phone.goto("/mi/practice/")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Your replies are not stored; only how your last five were heard is kept")
    expect(page.get_by_role("region", name="How your last few replies went")).to_have_count(0)

    # Alternate, so the list has to keep the order it was written in.
    for (bad_slug, _, bad, named, _), (good_slug, _, good, form, _) in zip(CONFRONTING, LISTENING, strict=True):
        feedback = reply_to(phone, bad_slug, bad)
        expect(feedback.get_by_role("paragraph").first).to_contain_text("We heard")
        expect(feedback.get_by_role("paragraph").first).to_contain_text(named)
        for word in PRAISE:
            expect(feedback).not_to_contain_text(word)
        expect(page.get_by_label("What would you say back?")).to_have_value(bad)  # there to rewrite

        feedback = reply_to(phone, good_slug, good)
        expect(feedback).to_contain_text(form)  # "Your reply reads as…" or "Its form is…"
        for word in ("confronting", "label or a judgement", "argument for change"):
            expect(feedback).not_to_contain_text(word)

    history = page.get_by_role("region", name="How your last few replies went")
    entries = history.get_by_role("listitem")
    written = [entry for pair in zip(CONFRONTING, LISTENING, strict=True) for entry in pair]
    newest_five = list(reversed(written))[:5]  # the first reply has dropped off
    expect(entries).to_have_count(5)
    for item, (_, opening, reply, _, line) in zip(entries.all(), newest_five, strict=True):
        expect(item).to_contain_text(opening)
        expect(item).to_contain_text(line)
        expect(item).not_to_contain_text(reply)  # how it was heard, never the words
    expect(history).not_to_contain_text(CONFRONTING[0][1])  # the sixth reply back is gone

    phone.follow(history.get_by_role("button", name="Clear this list"))
    expect(page.get_by_role("status")).to_contain_text("Cleared.")
    expect(page.get_by_role("region", name="How your last few replies went")).to_have_count(0)
    expect(page.locator("#statement")).to_contain_text("written down every drink")  # still on the same statement
    phone.reload()
    expect(page.get_by_role("region", name="How your last few replies went")).to_have_count(0)
    phone.assert_clean()
