"""Reads about safety: the plan (through the access policy), crisis lines for a person, alerts."""
from django.http import Http404

from pathways.circle.policy import Action, Category, require
from pathways.people.models import PersonProfile
from pathways.plans.models import Plan

from .crisis_lines import CrisisLine, lines_for_country, shipped_lines
from .models import CrisisAlert, LocalService, SafetyPlan


def safety_plan_get(*, person, viewer) -> SafetyPlan:
    """The person's safety plan; an unsaved, empty one when they have not written it yet."""
    require(viewer, person, Category.SAFETY_PLAN, Action.VIEW)
    if not Plan.objects.filter(person=person).exists():  # staff accounts have no safety plan of their own
        raise Http404
    return SafetyPlan.objects.filter(person=person).first() or SafetyPlan(person=person)


def person_country(person) -> str:
    return PersonProfile.objects.filter(user=person).values_list("country", flat=True).first() or ""


def crisis_lines_for(*, person) -> list[CrisisLine | LocalService]:
    """Lines for the person's country, then their organisation's own local services."""
    country = person_country(person)
    local = list(LocalService.objects.filter(organisation_id=person.home_organisation_id)) \
        if person.home_organisation_id else []
    return lines_for_country(country) + local


def crisis_lines_by_country() -> dict[str, list[CrisisLine]]:
    """Every shipped line, grouped by country, for the page anyone can open without an account."""
    grouped: dict[str, list[CrisisLine]] = {}
    for line in shipped_lines():
        grouped.setdefault(line.country, []).append(line)
    return grouped


def crisis_alert_get(*, alert_id: int, viewer) -> CrisisAlert:
    alert = CrisisAlert.objects.filter(pk=alert_id, person_id=getattr(viewer, "pk", None)).first()
    if alert is None:
        raise Http404
    return alert


def local_services(*, organisation) -> list[LocalService]:
    return list(LocalService.objects.filter(organisation=organisation))
