"""Every write about safety: the person's plan, an organisation's local services, and crisis alerts."""
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from pathways.notifications.services import notify

from . import escalation
from .models import RISK_RANK, AlertResponse, CrisisAlert, LocalService, RiskLevel, SafetyPlan


@transaction.atomic
def safety_plan_save(*, person, **sections: str) -> SafetyPlan:
    unknown = set(sections) - set(SafetyPlan.SECTIONS)
    if unknown:
        raise TypeError(f"safety_plan_save() got unknown parts {sorted(unknown)}")
    plan, _ = SafetyPlan.objects.select_for_update().get_or_create(person=person)
    for name, text in sections.items():
        setattr(plan, name, text)
    plan.updated_at = timezone.now()
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def local_service_add(*, organisation, country: str, name: str, phone: str = "", text: str = "", website: str = "",
                      hours: str = "") -> LocalService:
    """A new line goes last; the admin moves it up if their people should meet it sooner."""
    last = LocalService.objects.filter(organisation=organisation).order_by("-position").values_list(
        "position", flat=True).first() or 0
    line = LocalService(organisation=organisation, country=country.upper(), name=name, phone=phone, text=text,
                        website=website, hours=hours, position=last + 1)
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def local_service_remove(*, line: LocalService) -> None:
    line.delete()


@transaction.atomic
def local_service_move(*, line: LocalService, earlier: bool) -> None:
    """Swap a line with its neighbour, so an organisation puts the line its people need most first."""
    lines = list(LocalService.objects.select_for_update().filter(organisation_id=line.organisation_id))
    index = next(i for i, other in enumerate(lines) if other.pk == line.pk)
    neighbour = index - 1 if earlier else index + 1
    if not 0 <= neighbour < len(lines):
        return
    lines[index], lines[neighbour] = lines[neighbour], lines[index]
    for position, other in enumerate(lines, start=1):
        if other.position != position:
            LocalService.objects.filter(pk=other.pk).update(position=position)


@transaction.atomic
def crisis_alert_route(*, person, level: str, source: str) -> CrisisAlert | None:
    """An answer showed risk: alert once per rise within the person's day (none → some → strong), never again
    for the same level, however often the check-in or questionnaire is saved. Returns the new alert, if any.

    The person's row is locked so two saves at the same moment cannot both decide to alert.
    """
    if not level:
        return None
    get_user_model().objects.select_for_update().filter(pk=person.pk).first()
    today = timezone.localdate()
    earlier = CrisisAlert.objects.filter(person=person, day=today).values_list("level", flat=True)
    if RISK_RANK[RiskLevel(level)] <= max((RISK_RANK[earlier_level] for earlier_level in earlier), default=0):
        return None
    return crisis_alert_raise(person=person, level=level, source=source, day=today)


@transaction.atomic
def crisis_alert_raise(*, person, level: str = RiskLevel.SOME, source: str = "daily check-in",
                       day=None) -> CrisisAlert:
    """Tell, at once, the first round of the supporters the person allowed to receive crisis alerts; the worker
    tells the later rounds if nobody answers in time (see escalation).

    The alert says only that the person may need support now; what they answered stays private.
    """
    alert = CrisisAlert.objects.create(person=person, level=level, source=source, day=day or timezone.localdate())
    escalation.first_round_tell(alert)
    return alert


@transaction.atomic
def alert_answer(*, alert: CrisisAlert, supporter) -> AlertResponse:
    """A supporter told of the alert says "I'm reaching out": nobody more is told, and the person hears who.

    Saying it twice changes nothing. The alert's row is locked first, so the worker either sees this answer or
    has already told its round before it is written.
    """
    CrisisAlert.objects.select_for_update().filter(pk=alert.pk).first()
    response, created = AlertResponse.objects.get_or_create(alert=alert, supporter=supporter)
    CrisisAlert.objects.filter(pk=alert.pk).update(next_round_at=None)
    if created:
        name = supporter.display_name
        notify(recipient=alert.person, kind="crisis_alert_sent", title=f"{name} is reaching out",
               body=f"{name} saw your alert and is reaching out to you. Your safety plan and the crisis lines are "
                    "on the same page.",
               link=reverse("safety:support_now", kwargs={"alert_id": alert.pk}))
    return response
