"""Session-note pages. Thin: each parses the request, calls one selector or service, and renders."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from pathways.circle.policy import Access, can
from pathways.circle.selectors import person_by_public_id
from pathways.plans import selectors as plans
from pathways.signins.held_forms import form_data

from . import language
from . import note_selectors as selectors
from . import note_services as services
from .note_categories import note_category, writable_kinds
from .note_forms import NoteForm, ResponseForm

LANGUAGE_CHECKED = ("talked_about", "person_wants_next", "next_steps")  # the note's own words


@login_required
def my_notes(request: HttpRequest) -> HttpResponse:
    """The notes supporters wrote about the person's conversations, newest first."""
    notes = selectors.notes_of(person=request.user, viewer=request.user)
    return render(request, "conversations/note_list.html", {"notes": notes, "person": request.user, "own": True})


@login_required
def of_person(request: HttpRequest, person_id) -> HttpResponse:
    """The notes about a person, for a supporter who may see them (and the person, who sees their own list)."""
    person = person_by_public_id(public_id=person_id)
    notes = selectors.notes_of(person=person, viewer=request.user)
    own = person.pk == request.user.pk
    may_write = not own and bool(writable_kinds(writer=request.user, person=person))
    return render(request, "conversations/note_list.html",
                  {"notes": notes, "person": person, "own": own, "may_write": may_write})


def _plan_goals(viewer, person):
    """The person's goals when the writer may suggest to their plan (a logged read of it), else None."""
    if not services.may_offer_next_steps(author=viewer, person=person):
        return None
    return list(plans.plan_get(person=person, viewer=viewer, action=Access.SUGGEST).goals.all())


@login_required
def write(request: HttpRequest, person_id) -> HttpResponse:
    person = selectors.person_to_write_about(person=person_by_public_id(public_id=person_id), viewer=request.user)
    goals = _plan_goals(request.user, person)
    form = NoteForm(form_data(request), person=person, kinds=writable_kinds(writer=request.user, person=person),
                    goals=goals)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        note = services.note_write(person=person, author=request.user, happened_on=data["happened_on"],
                                   kind=data["kind"], talked_about=data["talked_about"],
                                   person_wants_next=data["person_wants_next"], next_steps=data["next_steps"])
        offered = 0
        if (offer := form.offer()) is not None:
            goal = next((goal for goal in goals if goal.pk == offer.get("goal_id")), None)
            offered = services.next_steps_offer(note=note, author=request.user, goal=goal,
                                                dimension=offer.get("dimension", ""))
        messages.success(request, f"Saved. {person.display_name} can read it now"
                         + (f", and decide on the {offered} next step{'s' if offered != 1 else ''} offered to "
                            f"the plan." if offered else "."))
        return redirect("notes:note", note_id=note.public_id)
    return render(request, "conversations/note_form.html", {"form": form, "person": person, "correcting": None,
                                                             "language_checked": LANGUAGE_CHECKED})


@login_required
def correct(request: HttpRequest, note_id) -> HttpResponse:
    """A new version of the note, by its author; the earlier one stays in the note's history."""
    note = selectors.note_to_correct(note_id=note_id, viewer=request.user)
    kinds = writable_kinds(writer=request.user, person=note.person)
    form = NoteForm(form_data(request), person=note.person, kinds=kinds, initial={
        "happened_on": note.happened_on, "kind": note.kind, "talked_about": note.talked_about,
        "person_wants_next": note.person_wants_next, "next_steps": note.next_steps})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        corrected = services.note_write(person=note.person, author=request.user, happened_on=data["happened_on"],
                                        kind=data["kind"], talked_about=data["talked_about"],
                                        person_wants_next=data["person_wants_next"], next_steps=data["next_steps"],
                                        replaces=note)
        messages.success(request, f"Saved the correction. {note.person.display_name} sees it with the earlier "
                         "version.")
        return redirect("notes:note", note_id=corrected.public_id)
    return render(request, "conversations/note_form.html", {"form": form, "person": note.person, "correcting": note,
                                                             "language_checked": LANGUAGE_CHECKED})


def _note_page(request: HttpRequest, note_id, response_form: ResponseForm | None = None) -> HttpResponse:
    history = selectors.note_with_history(note_id=note_id, viewer=request.user)
    note = history.latest
    is_person = note.person_id == request.user.pk
    is_author = note.author_id == request.user.pk
    return render(request, "conversations/note.html", {
        "history": history, "note": note, "person": note.person, "is_person": is_person,
        "response_form": (response_form or ResponseForm()) if is_person else None,
        "may_correct": is_author and can(request.user, note.person, note_category(note, note.person), Access.WRITE),
        # For its writer: words that might land better, found in the saved note and stored nowhere.
        "language_findings": language.findings_for_form(
            "\n".join(getattr(note, name) for name in LANGUAGE_CHECKED)) if is_author else [],
    })


@login_required
def note(request: HttpRequest, note_id) -> HttpResponse:
    return _note_page(request, note_id)


@login_required
@require_POST
def respond(request: HttpRequest, note_id) -> HttpResponse:
    """The person adds their own words beside the note's latest version."""
    history = selectors.note_with_history(note_id=note_id, viewer=request.user)
    if history.latest.person_id != request.user.pk:
        raise Http404
    form = ResponseForm(request.POST)
    if not form.is_valid():
        return _note_page(request, note_id, response_form=form)
    services.response_add(note=history.latest, person=request.user, text=form.cleaned_data["text"])
    messages.success(request, "Your response is saved beside the note.")
    return redirect("notes:note", note_id=history.latest.public_id)
