"""Every write of a session note and of the person's responses. A note is never edited: a correction is a new
version that `replaces` the old one, so what the person read stays on record beside what replaced it."""
import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from pathways.circle.policy import Access, Category, can
from pathways.notifications.models import Kind
from pathways.notifications.services import notify
from pathways.plans import services as plans
from pathways.plans.models import Goal, Plan, SuggestionKind

from .models import NoteResponse, SessionNote

EMPTY_NOTE = "Write something in at least one of the boxes: a note needs a few words."
FUTURE_DATE = "The date of the conversation cannot be in the future. Choose today or an earlier day."


def next_step_lines(text: str) -> list[str]:
    """The agreed next steps, one per line, without blank lines."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _validate(*, happened_on: date, talked_about: str, person_wants_next: str, next_steps: str) -> None:
    errors = {}
    if happened_on > timezone.localdate():
        errors["happened_on"] = FUTURE_DATE
    if not (talked_about.strip() or person_wants_next.strip() or next_steps.strip()):
        errors["__all__"] = EMPTY_NOTE
    if errors:
        raise ValidationError(errors)


def _tell_the_person(note: SessionNote, *, corrected: bool) -> None:
    """The title names the writer and what happened, never a word of the note: an email or a lock screen may
    show it to someone else."""
    verb = "corrected" if corrected else "wrote"
    notify(recipient=note.person, kind=Kind.SESSION_NOTE,
           title=f"{note.author_name} {verb} a note about your conversation",
           body="You can read it, and add your own response beside it.",
           link=reverse("notes:note", kwargs={"note_id": note.public_id}))


@transaction.atomic
def note_write(*, person, author, happened_on: date, kind: str, talked_about: str = "", person_wants_next: str = "",
               next_steps: str = "", replaces: SessionNote | None = None) -> SessionNote:
    """Save a note (or a new version of one) and tell the person at once. The caller has checked, through the
    policy, that the author may write a note of this `kind` (`note_categories.writable_kinds`)."""
    _validate(happened_on=happened_on, talked_about=talked_about, person_wants_next=person_wants_next,
              next_steps=next_steps)
    if replaces is not None:
        replaces = SessionNote.objects.select_for_update().get(pk=replaces.pk)
        if replaces.author_id != author.pk or replaces.person_id != person.pk:
            raise ValidationError("Only the supporter who wrote a note can correct it.")
        if SessionNote.objects.filter(replaces=replaces).exists():
            raise ValidationError("This note was corrected already. Correct its latest version instead.")
    note = SessionNote(person=person, author=author, author_name=author.display_name, happened_on=happened_on,
                       kind=kind, talked_about=talked_about.strip(), person_wants_next=person_wants_next.strip(),
                       next_steps="\n".join(next_step_lines(next_steps)), replaces=replaces)
    note.full_clean()
    note.save()
    _tell_the_person(note, corrected=replaces is not None)
    return note


def may_offer_next_steps(*, author, person) -> bool:
    """Whether the writer may put the next steps to the person's plan: the plans app's own rule, SUGGEST."""
    return can(author, person, Category.PLAN, Access.SUGGEST)


@transaction.atomic
def next_steps_offer(*, note: SessionNote, author, goal: Goal | None = None, dimension: str = "") -> int:
    """Offer each agreed next step to the person's plan as a suggestion, which changes nothing until the person
    accepts, rewords or declines it (plans.services.suggestion_accept/decline: the plan's own flow).

    The mapping: with a `goal` (one of the person's own, chosen by the writer) each line becomes a suggested
    step under that goal, the commonest case of "what we agreed to do next"; without one, each line becomes a
    suggested new goal in the part of life `dimension`. The suggestion's reason names the conversation's date,
    nothing more. Each suggestion's key comes from the note and the line, so a repeated offer adds nothing.
    Returns how many were offered; none when the writer has no plan-suggest grant (the steps stay in the note).
    """
    if not may_offer_next_steps(author=author, person=note.person):
        return 0
    plan = Plan.objects.filter(person=note.person).first()
    if plan is None:
        return 0
    why = f"Agreed in our conversation on {note.happened_on:%-d %B %Y}."
    lines = next_step_lines(note.next_steps)
    for number, line in enumerate(lines):
        key = uuid.uuid5(note.public_id, str(number))
        if goal is not None:
            plans.suggestion_create(plan=plan, author=author, kind=SuggestionKind.STEP, text=line, goal=goal,
                                    submission_key=key)
        else:
            plans.suggestion_create(plan=plan, author=author, kind=SuggestionKind.GOAL, text=line, why=why,
                                    dimension=dimension, submission_key=key)
    return len(lines)


@transaction.atomic
def response_add(*, note: SessionNote, person, text: str) -> NoteResponse:
    """The person's own words beside a note; the note itself is left exactly as it was written."""
    if note.person_id != person.pk:
        raise ValidationError("Only the person a note is about can respond to it.")
    response = NoteResponse(note=note, text=text.strip())
    response.full_clean()
    response.save()
    return response
