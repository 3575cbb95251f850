"""Practice mode: a supporter answers something a person in recovery might say, and gets one tip back.

The statements are written for Pathways, across the four recovery dimensions and many pathways (mutual aid of
several traditions, medication, moderation, safer use, recovering on one's own, faith). They mix ambivalence,
sustain talk, change talk and discord (the person pushing back at the supporter), because a good reply to each
looks different. The reply is coded as the counsellor's turn after the statement, exactly as it would be in a
session, and one tip is chosen from its code.
"""
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pathways.mi.analysis import kinder_way, open_alternative
from pathways.mi.behaviours import NON_ADHERENT
from pathways.mi.codes import COUNSELLOR, INPUT, OTHER, PERSON, QUESTION, REFLECTION, Coding
from pathways.mi.transcript import Utterance

AMBIVALENCE, SUSTAIN_TALK, CHANGE_TALK = "ambivalence", "sustain talk", "change talk"
DISCORD = "discord"  # pushing back at the supporter, not at change: it asks for a reflection, not a defence
TALK_KINDS = (AMBIVALENCE, SUSTAIN_TALK, CHANGE_TALK, DISCORD)
DIMENSIONS = ("Health", "Home", "Purpose", "Community")

# What a reply does, for the supporter's short list of how their last few replies went (never a score).
HELPS, TRY_AGAIN, NEITHER = "helps", "try again", "neither"


@dataclass(frozen=True)
class PracticeStatement:
    slug: str
    text: str
    dimension: str  # Health, Home, Purpose or Community
    talk: str  # one of TALK_KINDS


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
    # Added for issue 29: more pathways, more sustain talk, and discord. Appended, so the order above (and the
    # "try another" link from each of those) stays as it was; mixed, so "try another" varies the kind of talk.
    PracticeStatement("all-the-same", "You lot are all the same, you just want me to stop.", "Community", DISCORD),
    PracticeStatement("naltrexone-tablet", "The doctor offered me naltrexone, but I don't like the idea of a tablet "
                      "deciding things for me. I'll manage without.", "Health", SUSTAIN_TALK),
    PracticeStatement("quit-on-my-own", "I stopped smoking on my own twenty years ago, no programme, nothing. I "
                      "reckon I can do the same with the drinking.", "Health", CHANGE_TALK),
    PracticeStatement("sponsor-number", "My sponsor at NA gave me her number and said ring any time. I've saved it, "
                      "but ringing would feel like admitting I can't cope.", "Community", AMBIVALENCE),
    PracticeStatement("not-lectured", "I didn't come here to be lectured. I get enough of that at home.", "Home",
                      DISCORD),
    PracticeStatement("rent-late", "When the rent's late and the meter's nearly out, a drink is the only bit of the "
                      "week I look forward to.", "Home", SUSTAIN_TALK),
    PracticeStatement("methadone-settled", "Since my methadone dose got sorted I've been sleeping properly. I'd like "
                      "to start thinking about work again.", "Purpose", CHANGE_TALK),
    PracticeStatement("food-bank", "There's volunteering going at the food bank. I'd like to, but I'm scared of "
                      "bumping into people who knew me when I was using.", "Purpose", AMBIVALENCE),
    PracticeStatement("read-my-file", "You've read my file and now you think you know me. You don't.", "Community",
                      DISCORD),
    PracticeStatement("smart-not-for-me", "I tried a SMART Recovery meeting online. Everyone seemed so together. "
                      "It's not for someone like me.", "Community", SUSTAIN_TALK),
    PracticeStatement("friday-prayers", "The imam asked me to help set out the prayer mats on Fridays. It's the "
                      "first time in ages anyone's trusted me with something.", "Community", CHANGE_TALK),
    PracticeStatement("church-group", "My church runs a recovery group on Thursdays. I want to go, but I keep "
                      "thinking about what people there would say.", "Community", AMBIVALENCE),
    PracticeStatement("buprenorphine-swapping", "If you're about to tell me buprenorphine is just swapping one drug "
                      "for another, save your breath. It's the first thing that's ever worked.", "Health", DISCORD),
    PracticeStatement("friday-drinks", "Everyone at work goes out on a Friday. If I don't go, I'm out of the loop, "
                      "and that's my chance of a promotion gone.", "Purpose", SUSTAIN_TALK),
    PracticeStatement("drink-diary", "I've written down every drink for a fortnight. I'm down to three nights a "
                      "week, and I want to get it to two.", "Health", CHANGE_TALK),
    PracticeStatement("coming-off-buprenorphine", "Part of me wants to come off buprenorphine altogether, and part "
                      "of me is terrified of what happens if I do.", "Health", AMBIVALENCE),
    PracticeStatement("cut-down-not-stop", "I said I want to cut down, not stop. Why does everyone keep trying to "
                      "turn me teetotal?", "Health", DISCORD),
    PracticeStatement("needle-exchange", "I get fresh kit from the needle exchange now and I carry naloxone. That's "
                      "enough change for me.", "Health", SUSTAIN_TALK),
    PracticeStatement("tenancy-warning", "The housing officer says one more complaint and I could lose the tenancy. "
                      "I don't want to lose this place. It's the first home that's felt like mine.", "Home",
                      CHANGE_TALK),
    PracticeStatement("weekend-only", "I could keep it to weekends, I think. But last time I tried, weekends started "
                      "on a Thursday.", "Home", AMBIVALENCE),
    PracticeStatement("pray-harder", "My pastor keeps telling me to pray harder. I don't need you starting on me as "
                      "well.", "Community", DISCORD),
    PracticeStatement("higher-power", "AA keeps going on about a higher power. I don't believe in any of that, so "
                      "I can't see how it would work for me.", "Community", SUSTAIN_TALK),
    PracticeStatement("safer-or-leaflet", "I'm going to use either way. Are you going to help me do it more safely, "
                      "or just hand me another leaflet about quitting?", "Health", DISCORD),
    PracticeStatement("sister-conditions", "My sister says I can stay with her if I stop. Everyone's got "
                      "conditions. Nobody just helps.", "Home", SUSTAIN_TALK),
    PracticeStatement("goals-again", "Stop asking me about goals. I've had a dozen workers ask about my goals and "
                      "nothing ever changes.", "Purpose", DISCORD),
    PracticeStatement("leave-it", "Just leave it, yeah? I'm fine.", "Health", DISCORD),
)
_BY_SLUG = {s.slug: s for s in STATEMENTS}


def reply_outcome(coding: Coding) -> str:
    """TRY_AGAIN for a reply that labels or argues; HELPS for a reflection or an open question that does neither;
    NEITHER for the rest (a closed question, advice, a greeting), which are fine at times but not the aim here."""
    if set(NON_ADHERENT) & set(coding.behaviours):
        return TRY_AGAIN
    if coding.code == REFLECTION or (coding.code == QUESTION and coding.subcode == "open"):
        return HELPS
    return NEITHER


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
