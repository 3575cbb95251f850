"""Tools pages: the calm index for a hard hour, the worksheets, the toolbox lists, the exercises, the counter."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from pathways.signins.held_forms import form_data

from . import selectors, services
from .exercises import BREATHING, EXERCISES, GROUNDING, URGE_SURFING, Exercise
from .forms import (
    LIST_INTROS,
    DayCounterForm,
    MoveForm,
    TickForm,
    WellnessItemEditForm,
    WellnessItemForm,
    WorksheetForm,
)
from .models import CostBenefitWorksheet, WellnessList

URGE_LOG_NAMES = ("checkins:urges", "checkins:urge_log")


def _urge_log_url() -> str | None:
    """The urge log lives in the check-ins app, built alongside the tools; link to it by whichever name it has."""
    for name in URGE_LOG_NAMES:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "tools/index.html", {
        "exercises": EXERCISES.values(), "urge_log_url": _urge_log_url(),
        "counter": selectors.day_counter_get(viewer=request.user),
    })


# --- exercises: nobody's data, open to anyone -------------------------------------------------------

def _exercise(request: HttpRequest, exercise: Exercise) -> HttpResponse:
    return render(request, "tools/exercise.html", {"exercise": exercise})


def urge_surfing(request: HttpRequest) -> HttpResponse:
    return _exercise(request, URGE_SURFING)


def grounding(request: HttpRequest) -> HttpResponse:
    return _exercise(request, GROUNDING)


def breathing(request: HttpRequest) -> HttpResponse:
    return _exercise(request, BREATHING)


# --- cost-benefit worksheets --------------------------------------------------------------------------

def _boxes(form: WorksheetForm) -> dict[str, str]:
    return {name: form.cleaned_data[name] for name in CostBenefitWorksheet.BOXES}


@login_required
def worksheets(request: HttpRequest) -> HttpResponse:
    return render(request, "tools/worksheets.html", {"worksheets": selectors.worksheet_list(viewer=request.user)})


@login_required
def worksheet_new(request: HttpRequest) -> HttpResponse:
    selectors.tools_require_owner(request.user)
    form = WorksheetForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        worksheet = services.worksheet_create(person=request.user, submission_key=form.cleaned_data["submission_key"],
                                              **_boxes(form))
        messages.success(request, "Saved your worksheet. You can come back to it and change it any time.")
        return redirect("tools:worksheet", worksheet_id=worksheet.public_id)
    return render(request, "tools/worksheet_form.html", {"form": form, "worksheet": None})


@login_required
def worksheet(request: HttpRequest, worksheet_id) -> HttpResponse:
    """A saved worksheet, open to change: its four boxes as the form, with the date it was last saved."""
    saved = selectors.worksheet_get(worksheet_id=worksheet_id, viewer=request.user)
    form = WorksheetForm(form_data(request), instance=saved)
    if request.method == "POST" and form.is_valid():
        services.worksheet_update(worksheet=saved, **_boxes(form))
        messages.success(request, "Saved your changes.")
        return redirect("tools:worksheet", worksheet_id=saved.public_id)
    return render(request, "tools/worksheet_form.html", {"form": form, "worksheet": saved})


@login_required
def worksheet_delete(request: HttpRequest, worksheet_id) -> HttpResponse:
    saved = selectors.worksheet_get(worksheet_id=worksheet_id, viewer=request.user)
    if request.method == "POST":
        services.worksheet_delete(worksheet=saved)
        messages.success(request, "Deleted that worksheet.")
        return redirect("tools:worksheets")
    return render(request, "tools/worksheet_delete.html", {"worksheet": saved})


# --- the wellness toolbox and its lists ------------------------------------------------------------------

def _toolbox_page(request: HttpRequest, lists: list, bound: WellnessItemForm | None = None) -> HttpResponse:
    sections = [{"list": shown, "intro": LIST_INTROS[shown.kind],
                 "form": bound if bound is not None and bound.prefix == shown.kind else WellnessItemForm(
                     prefix=shown.kind)} for shown in lists]
    return render(request, "tools/toolbox.html", {"sections": sections})


@login_required
def toolbox(request: HttpRequest) -> HttpResponse:
    """The three lists; each has its own add form, told apart by the button's `list` value and its prefix."""
    lists = selectors.wellness_lists(viewer=request.user)
    data = form_data(request)  # on a GET, a line typed before the session ended comes back (never saved)
    kind = data.get("list") if data is not None else None
    if kind not in WellnessList.values:
        return _toolbox_page(request, lists)
    form = WellnessItemForm(data, prefix=kind)
    if request.method != "POST" or not form.is_valid():
        return _toolbox_page(request, lists, bound=form)
    services.wellness_item_add(person=request.user, kind=kind, text=form.cleaned_data["text"],
                               submission_key=form.cleaned_data["submission_key"])
    messages.success(request, f"Added to \u201c{WellnessList(kind).label}\u201d.")
    return redirect(f"{reverse('tools:toolbox')}#list-{kind}")


@login_required
def item_edit(request: HttpRequest, item_id) -> HttpResponse:
    item = selectors.wellness_item_get(item_id=item_id, viewer=request.user)
    form = WellnessItemEditForm(form_data(request), instance=item)
    if request.method == "POST" and form.is_valid():
        services.wellness_item_update(item=item, kind=form.cleaned_data["kind"], text=form.cleaned_data["text"])
        messages.success(request, "Saved.")
        return redirect(f"{reverse('tools:toolbox')}#list-{item.kind}")
    return render(request, "tools/item_form.html", {"form": form, "item": item})


@login_required
@require_POST
def item_delete(request: HttpRequest, item_id) -> HttpResponse:
    item = selectors.wellness_item_get(item_id=item_id, viewer=request.user)
    kind = item.kind
    services.wellness_item_delete(item=item)
    messages.success(request, "Removed.")
    return redirect(f"{reverse('tools:toolbox')}#list-{kind}")


@login_required
@require_POST
def item_move(request: HttpRequest, item_id) -> HttpResponse:
    item = selectors.wellness_item_get(item_id=item_id, viewer=request.user)
    form = MoveForm(request.POST)
    if form.is_valid():
        services.wellness_item_move(item=item, direction=form.cleaned_data["direction"])
    return redirect(f"{reverse('tools:toolbox')}#list-{item.kind}")


@login_required
@require_POST
def item_tick(request: HttpRequest, item_id) -> HttpResponse:
    item = selectors.wellness_item_get(item_id=item_id, viewer=request.user)
    form = TickForm(request.POST)
    if form.is_valid():
        try:
            services.daily_tick_set(item=item, done=form.cleaned_data["done"])
        except ValidationError:
            raise Http404 from None  # only "every day" items have a tick
    return redirect(f"{reverse('tools:toolbox')}#list-{item.kind}")


# --- the day counter ------------------------------------------------------------------------------------

@login_required
def day_counter(request: HttpRequest) -> HttpResponse:
    """Turn the counter on, or change it. Off until the person turns it on."""
    current = selectors.day_counter_get(viewer=request.user)
    form = DayCounterForm(form_data(request), instance=current.counter if current else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.day_counter_set(person=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Saved your day counter." if current else "Your day counter is on.")
            return redirect("tools:index")
    return render(request, "tools/day_counter.html", {"form": form, "current": current})


def _add_errors(form, error: ValidationError) -> None:
    """A service's refusal shown beside the field it is about, the way the form's own errors are."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


@login_required
@require_POST
def day_counter_off(request: HttpRequest) -> HttpResponse:
    selectors.tools_require_owner(request.user)
    if services.day_counter_turn_off(person=request.user):
        messages.success(request, "Your day counter is off and deleted. You can turn one on again whenever you like.")
    return redirect("tools:index")
