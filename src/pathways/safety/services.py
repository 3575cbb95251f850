"""Every write about safety: the person's plan, an organisation's local services, and crisis alerts."""
from django.db import transaction
from django.utils import timezone

from pathways.circle.models import Category, CircleMember
from pathways.circle.policy import Action, decide, permits
from pathways.notifications.services import notify

from .models import CrisisAlert, LocalService, SafetyPlan


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
    line = LocalService(organisation=organisation, country=country.upper(), name=name, phone=phone, text=text,
                        website=website, hours=hours)
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def local_service_remove(*, line: LocalService) -> None:
    line.delete()


def route_checkin(*, checkin) -> CrisisAlert | None:
    """After a check-in: an answer that shows risk raises a crisis alert (and the safety plan is shown next)."""
    if not checkin.raises_risk:
        return None
    return crisis_alert_raise(person=checkin.person)


@transaction.atomic
def crisis_alert_raise(*, person, source: str = "daily check-in") -> CrisisAlert:
    """A check-in showed risk: tell, at once, every supporter the person allowed to receive crisis alerts.

    The alert says only that the person may need support now; what they answered stays private.
    """
    alert = CrisisAlert.objects.create(person=person, source=source)
    members = CircleMember.objects.filter(person=person, removed_at__isnull=True).select_related("supporter")
    # A grant, not emergency access: emergency access lets a professional read, not subscribe to alerts.
    told = [m.supporter for m in members if decide(m.supporter, person, Category.CRISIS_ALERTS, Action.VIEW).grant]
    for supporter in told:
        notify(recipient=supporter, kind="crisis_alert", title=f"{person.display_name} may need support now",
               body=f"{person.display_name} asked to let you know when a check-in shows they may be in crisis. "
                    "Please reach out to them in the way you agreed.",
               link="/people/")
        permits(supporter, person, Category.CRISIS_ALERTS, Action.VIEW)  # the disclosure, in the access log
    alert.notified.set(told)
    return alert
