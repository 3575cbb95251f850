"""Practice mode: a supporter answers something a person in recovery might say, and gets one tip back.

The statements are written for Pathways, across the four recovery dimensions, and mix ambivalence, sustain
talk and change talk, because a good reply to each looks different. The reply is coded as the counsellor's
turn after the statement, exactly as it would be in a session, and one tip is chosen from its code.
"""
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pathways.mi.analysis import kinder_way, open_alternative
from pathways.mi.behaviours import NON_ADHERENT
from pathways.mi.codes import COUNSELLOR, INPUT, OTHER, PERSON, QUESTION, REFLECTION, Coding
from pathways.mi.transcript import Utterance

AMBIVALENCE, SUSTAIN_TALK, CHANGE_TALK = "ambivalence", "sustain talk", "change talk"


@dataclass(frozen=True)
class PracticeStatement:
    slug: str
    text: str
    dimension: str  # Health, Home, Purpose or Community
    talk: str  # AMBIVALENCE, SUSTAIN_TALK or CHANGE_TALK


@dataclass(frozen=True)
class PracticeFeedback:
    coding: Coding
    tip: str


STATEMENTS: tuple[PracticeStatement, ...] = (
    PracticeStatement("sleep-and-drinking", "A couple of drinks is the only thing that gets me to sleep. I know it "
                      "isn't great, but lying awake until four is worse.", "Health", AMBIVALENCE),
    PracticeStatement("doctor-appointment", "I keep meaning to book the doctor about my liver, and then the week "
                      "fills up and I don't.", "Health", AMBIVALENCE),
    PracticeStatement("methadone-judged", "Everyone acts like being on methadone means I'm not really in recovery. "
                      "Maybe they're right.", "Health", SUSTAIN_TALK),
    PracticeStatement("walk-mornings", "I've started walking in the mornings. I feel less foggy, and I want to keep "
                      "it going.", "Health", CHANGE_TALK),
    PracticeStatement("flatmate-uses", "My flatmate still uses and I can't afford to move out, so what's the point "
                      "of trying right now?", "Home", SUSTAIN_TALK),
    PracticeStatement("kids-visits", "I want my kids to be able to stay over again. That's the whole reason I'm "
                      "doing this.", "Home", CHANGE_TALK),
    PracticeStatement("tidy-flat", "Part of me wants to sort the flat out, and part of me thinks, why bother, it'll "
                      "be a mess again in a week.", "Home", AMBIVALENCE),
    PracticeStatement("job-interview", "There's a warehouse job going. I could probably do it, but what if they ask "
                      "about the gap on my CV?", "Purpose", AMBIVALENCE),
    PracticeStatement("nothing-to-do", "Using was the only thing that filled the day. Without it I just sit there, so "
                      "I don't see much reason to stop.", "Purpose", SUSTAIN_TALK),
    PracticeStatement("college-course", "I've looked at a course at the college. I think I could actually finish it "
                      "this time.", "Purpose", CHANGE_TALK),
    PracticeStatement("old-friends", "All my mates drink. If I stop going to the pub I'll have nobody to talk to.",
                      "Community", SUSTAIN_TALK),
    PracticeStatement("group-meeting", "I went to a group on Tuesday. I didn't say anything, but I might go back.",
                      "Community", CHANGE_TALK),
    PracticeStatement("mum-calls", "My mum rings every day to check on me. I know she means well, but it makes me "
                      "want to pick up.", "Community", AMBIVALENCE),
    PracticeStatement("not-a-problem", "Honestly, I only smoke at weekends. I don't think it's the problem everyone "
                      "makes it out to be.", "Health", SUSTAIN_TALK),
)
_BY_SLUG = {s.slug: s for s in STATEMENTS}


def get_statement(slug: str) -> PracticeStatement | None:
    """The statement with this slug, or None."""
    return _BY_SLUG.get(slug)


def practice_feedback(statement_text: str, reply_text: str,
                      coder: Callable[[Sequence[Utterance]], list[Coding]] | None = None) -> PracticeFeedback:
    """Code the reply as the supporter's turn after the statement, and choose one tip from its code."""
    if not reply_text.strip():
        raise ValueError("Write your reply to the statement first; there is nothing to give feedback on yet.")
    if not statement_text.strip():
        raise ValueError("There is no statement to reply to; choose one of the practice statements.")
    if coder is None:
        from pathways.mi.coder import code_utterances  # here, so the model loads only when it is needed

        coder = code_utterances
    turns = [Utterance(0, PERSON, statement_text.strip()), Utterance(1, COUNSELLOR, reply_text.strip())]
    coding = coder(turns)[1]
    return PracticeFeedback(coding, _tip(coding, reply_text.strip()))


def _tip(coding: Coding, reply: str) -> str:
    if set(NON_ADHERENT) & set(coding.behaviours):  # never praised, whatever else it is
        return kinder_way(coding.behaviours)
    if coding.code == QUESTION and coding.subcode == "closed":
        alternative = open_alternative(reply)
        return ("This reads as a closed question, which invites a yes or a no. Opening it with “what” or “how” "
                "invites the person to say more in their own words"
                + (f", for example: “{alternative}”" if alternative else "."))
    if coding.code == QUESTION:
        return ("An open question: it gives the person room to answer in their own words. Next time, try a "
                "reflection here instead — say back what you heard — and see whether they go further on their own.")
    if coding.code == REFLECTION and coding.subcode == "complex":
        return ("A complex reflection: you went beyond the person's words to what they might mean or feel. That is "
                "the kind of listening that helps people hear their own reasons for change. Well done.")
    if coding.code == REFLECTION:
        return ("A simple reflection: you said back what you heard, which shows you were listening. Try going one "
                "step further, into what it might mean or how it might feel: “It sounds like … matters to you "
                "because …”")
    if coding.code == INPUT:
        return ("This gives information or advice. Before offering it, ask permission — “Would it be okay if I "
                "shared an idea?” — and first find out what the person already knows or has tried. It keeps them in "
                "charge of their own recovery.")
    if coding.code == OTHER:
        return ("Try answering with a reflection: say back, in one sentence, what you heard the person say and "
                "what it might mean to them.")
    return "Try replying with a reflection or an open question, so the person can keep talking in their own words."
