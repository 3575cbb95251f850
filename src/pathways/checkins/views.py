"""Check-in pages. Thin: parse the form, call one service, render or redirect."""
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from pathways.circle.selectors import person_by_public_id
from pathways.people.pronouns import words_for
from pathways.plans.selectors import current_pathway_codes, plan_get
from pathways.signins.held_forms import form_data

from . import days, selectors, services
from .forms import PREFER_NOT, DailyCheckInForm, RecoveryCheckInForm


def _chosen_day(request: HttpRequest, *, form=None) -> date | None:
    """The day a check-in is for: today, or a missed day the person picked (?day=YYYY-MM-DD, or the form's)."""
    raw = request.GET.get("day") or (form or {}).get("day")
    if not raw:
        return timezone.localdate()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def _initial(checkin) -> dict:
    if checkin is None:
        return {}
    initial = {name: getattr(checkin, name) for name in services.DAILY_FIELDS}
    if hasattr(checkin, "use"):
        initial.update({name: getattr(checkin.use, name) for name in services.USE_FIELDS})
    for name, value in list(initial.items()):
        initial[name] = "" if value is None else str(value) if not isinstance(value, bool | str) else value
    if initial.get("sleep_hours"):
        initial["sleep_hours"] = str(int(float(initial["sleep_hours"])))
    initial.update({name: PREFER_NOT for name in checkin.declined})
    return initial


@login_required
def daily(request: HttpRequest) -> HttpResponse:
    person = request.user
    day = _chosen_day(request, form=form_data(request))
    today = timezone.localdate()
    if day is None or day > today:
        messages.error(request, "That date could not be used, so here is today's check-in.")
        return redirect("checkins:daily")
    existing = selectors.daily_checkin_for_day(person=person, viewer=request.user, day=day)
    pathways = current_pathway_codes(person=person, viewer=request.user)
    form = DailyCheckInForm(form_data(request), initial=_initial(existing),
                            pathways=pathways)
    if request.method == "POST" and form.is_valid():
        try:
            checkin = services.daily_checkin_save(person=person, day=day, answers=form.answers(), use=form.use(),
                                                  declined=form.declined())
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            # What the answers call for (the crisis lines first, a lapse, a hard day) is on the next page.
            return redirect(reverse("checkins:saved") + ("" if checkin.day == today else f"?day={checkin.day}"))
    missed = selectors.missed_days(person=person, viewer=request.user, within=timedelta(days=7))
    return render(request, "checkins/daily.html", {
        "form": form, "day": day, "is_today": day == today, "existing": existing,
        "locked": existing is not None and day != today, "missed": missed,
    })


@login_required
def saved(request: HttpRequest) -> HttpResponse:
    """After a check-in is saved: the crisis lines and the safety plan after a risk answer (never a block or
    a lecture), the person's own plan after a lapse, a safer-use card, their own steps on a hard day."""
    day = _chosen_day(request) or timezone.localdate()
    answer = selectors.checkin_response(person=request.user, viewer=request.user, day=day,
                                        accept_language=request.headers.get("Accept-Language", ""))
    if answer is None:
        return redirect("checkins:daily")
    if not answer.says_something:
        messages.success(request, "Saved. Thank you for checking in." if not answer.checkin.backfilled else
                         f"Saved your check-in for {day:%A %d %B}, marked as filled in later.")
        return redirect("reports:progress")
    return render(request, "checkins/saved.html", {"answer": answer, "checkin": answer.checkin})


@login_required
def recovery(request: HttpRequest) -> HttpResponse:
    plan_get(person=request.user, viewer=request.user)  # check-ins are for people with a plan, not staff accounts
    form = RecoveryCheckInForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        services.recovery_checkin_record(person=request.user, answers=form.answers(),
                                         dimension_ratings=form.dimension_ratings(), declined=form.declined())
        messages.success(request, "Saved. Your progress page shows how things are moving.")
        return redirect("reports:progress")
    return render(request, "checkins/recovery.html", {"form": form})


@login_required
def shared_daily(request: HttpRequest, person_id) -> HttpResponse:
    """The last four weeks of check-ins, day by day, for a supporter with the check-ins grant. The person has
    their own progress page and check-in form."""
    person = person_by_public_id(public_id=person_id)
    if person.pk == request.user.pk:
        return redirect("reports:progress")
    return render(request, "checkins/daily_shared.html", {
        "person": person, "about": words_for(person), "found": days.day_by_day(person=person, viewer=request.user)})
