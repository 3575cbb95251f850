"""Listening-feedback pages: analyse a transcript, keep it if you choose, and practise a reply.

Any signed-in account may use them: they work only on what the supporter pastes or saved themselves.
The analyzer's model is loaded lazily by pathways.mi.analysis on first use, never when this module loads.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from pathways.mi.transcript import TranscriptError, parse_transcript

from . import practice_history, selectors, services
from .forms import AnalyzeForm, PracticeForm, SaveTranscriptForm, normalise_newlines
from .results import analysis_context, practice_context, statement_context

SAVE_PREFIX = "save"  # the save form's fields must not share ids with the analyze form's on the same page


@login_required
def analyze(request: HttpRequest) -> HttpResponse:
    """Paste or upload, see the feedback. Nothing is stored here: saving is a separate, explicit step."""
    form = AnalyzeForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        context |= analysis_context(form.cleaned_data["utterances"])
        context["save_form"] = SaveTranscriptForm(prefix=SAVE_PREFIX, initial={"text": text})
        form = AnalyzeForm(initial={"text": text})  # the box keeps the transcript, ready to change and try again
        context["form"] = form
    return render(request, "mi/analyze.html", context)


@login_required
@require_POST
def save(request: HttpRequest) -> HttpResponse:
    form = SaveTranscriptForm(request.POST, prefix=SAVE_PREFIX)
    if form.is_valid():
        transcript = services.save_transcript(request.user, form.cleaned_data["title"], form.cleaned_data["text"],
                                              submission_key=form.cleaned_data["submission_key"])
        messages.success(request, "Saved. Only you can see your saved transcripts, and you can delete them any time.")
        return redirect("mi:saved_transcript", public_id=transcript.public_id)
    text = normalise_newlines(request.POST.get(f"{SAVE_PREFIX}-text", ""))
    if "text" in form.errors:  # the hidden transcript was changed into something unreadable: say why, keep it
        analyze_form = AnalyzeForm({"text": text})
        analyze_form.is_valid()  # for its own message about what is wrong with the text
        analyze_form.add_error(None, "This transcript could not be saved, so nothing was stored.")
        return render(request, "mi/analyze.html", {"form": analyze_form})
    # Only the title needs another look: show the feedback again beside the save form and its error.
    context = {"form": AnalyzeForm(initial={"text": text}), "save_form": form}
    return render(request, "mi/analyze.html", context | analysis_context(parse_transcript(text)))


@login_required
def saved_list(request: HttpRequest) -> HttpResponse:
    return render(request, "mi/saved_list.html", {"transcripts": selectors.saved_transcripts(viewer=request.user)})


@login_required
def saved_transcript(request: HttpRequest, public_id) -> HttpResponse:
    transcript = selectors.saved_transcript_get(public_id=public_id, viewer=request.user)
    context = {"transcript": transcript}
    try:
        context |= analysis_context(parse_transcript(transcript.text), page=request.GET.get("page", 1), paged=True)
    except TranscriptError as error:  # saved under older rules the reader no longer accepts
        context["problem"] = str(error)
    return render(request, "mi/saved_transcript.html", context)


@login_required
def saved_delete(request: HttpRequest, public_id) -> HttpResponse:
    """GET asks to confirm; POST deletes. Either way only the owner gets past the selector."""
    transcript = selectors.saved_transcript_get(public_id=public_id, viewer=request.user)
    if request.method == "POST":
        services.delete_transcript(transcript=transcript)
        messages.success(request, f"Deleted “{transcript.display_title}”.")
        return redirect("mi:saved")
    return render(request, "mi/saved_delete.html", {"transcript": transcript})


@login_required
def practice(request: HttpRequest) -> HttpResponse:
    """One thing a person might say, a box for the supporter's reply, and how that reply reads."""
    context = statement_context(request.POST.get("s") or request.GET.get("s", ""))
    form = PracticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            context |= practice_context(context["statement"], form.cleaned_data["reply"])
        except ValueError as error:  # an empty reply after all (only spaces, say)
            form.add_error("reply", str(error))
        else:  # how it was heard, never the words
            practice_history.remember(request.session, context["statement"], context["feedback"].coding)
    context["recent_replies"] = practice_history.recent(request.session)
    return render(request, "mi/practice.html", {**context, "form": form})


@login_required
@require_POST
def practice_clear(request: HttpRequest) -> HttpResponse:
    """Forget how the last few practice replies were heard, and go back to the same statement."""
    practice_history.forget(request.session)
    messages.success(request, "Cleared. The list of how your last few replies went is empty.")
    statement = statement_context(request.POST.get("s", ""))["statement"]  # a known slug, never the raw input
    return redirect(f"{reverse('mi:practice')}?s={statement.slug}")

