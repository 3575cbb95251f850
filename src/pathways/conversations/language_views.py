"""The respectful-language check as the writer types (htmx), for any textarea that includes
conversations/_language_check.html. It only answers: the text is never stored or logged, and nothing is
changed unless the writer presses an alternative. Any signed-in account may use it; it shows nobody's data."""
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_POST

from . import language

SHOWN = 20  # findings listed at once; the rest are counted
LONGEST_CHECKED = 20_000  # characters: far beyond any note or message, so a paste of a book answers at once
FIELD_NAME_LENGTH = 100


def _box(request: HttpRequest) -> dict:
    """What the box needs to draw itself again, as _language_check_box.html sent it."""
    post = request.POST
    return {"name": post["language_field"], "id": post.get("language_id", "")[:FIELD_NAME_LENGTH],
            "rows": post.get("language_rows", ""), "cols": post.get("language_cols", ""),
            "maxlength": post.get("language_maxlength", ""), "required": post.get("language_required") == "1",
            "describedby": post.get("language_describedby", ""), "invalid": post.get("language_invalid", ""),
            "author": post.get("author_is_the_person", "")}


def _findings_context(text: str, author_is_the_person: bool) -> dict:
    if len(text) > LONGEST_CHECKED:
        return {"findings": [], "notice": "This is too long to check as you write."}
    found = language.findings(text, author_is_the_person=author_is_the_person)
    return {"findings": found[:SHOWN], "more": max(0, len(found) - SHOWN)}


def _span(request: HttpRequest) -> tuple[int, int] | None:
    try:
        return int(request.POST.get("start", "")), int(request.POST.get("end", ""))
    except ValueError:
        return None


@login_required
@require_POST
def check(request: HttpRequest) -> HttpResponse:
    """The findings for the posted text; with `use`, the box again with that one phrase replaced."""
    field = request.POST.get("language_field", "")
    if not field or len(field) > FIELD_NAME_LENGTH or field not in request.POST:
        return HttpResponseBadRequest("Say which field to check: language_field, and that field's text.")
    text = request.POST[field]
    author_is_the_person = request.POST.get("author_is_the_person") == "1"
    if "use" not in request.POST:
        return render(request, "conversations/_language_check_findings.html",
                      {"id": _box(request)["id"]} | _findings_context(text, author_is_the_person))
    span = _span(request)
    if span is None:
        return HttpResponseBadRequest("Which words to replace was not clear (start and end must be numbers).")
    alternative = request.POST["use"]
    # Replace only what was offered for exactly that span: if the words moved since, replace nothing.
    offered = next((finding for finding in language.findings(text, author_is_the_person=author_is_the_person)
                    if (finding.start, finding.end) == span and alternative in finding.alternatives), None)
    notice = "The words moved before that choice arrived, so nothing was replaced. Here is a fresh look."
    if offered:
        text = language.replace(text, offered.start, offered.end, alternative)
        notice = f"“{offered.phrase}” is now “{alternative}”."
    context = _box(request) | {"text": text, "focus": True} | _findings_context(text, author_is_the_person)
    return render(request, "conversations/_language_check_box.html", context | {"notice": notice})
