"""What the safety app holds about a person (see pathways.lib.personal_data): the safety plan and crisis alerts."""
from pathways.lib.personal_data import holds, person_ref

from .models import AlertResponse, CrisisAlert, SafetyPlan


def export_safety(user) -> dict:
    plan = SafetyPlan.objects.filter(person=user).first()
    return {
        "plan": ({name: getattr(plan, name) for name in SafetyPlan.SECTIONS} | {"updated_at": plan.updated_at}
                 if plan else None),
        "crisis_alerts": [
            {"raised_at": a.raised_at, "day": a.day, "level": a.level, "source": a.source,
             "supporters_told": [person_ref(u) for u in a.notified.order_by("pk")],
             "on_duty_professional_told": person_ref(a.on_duty_told),
             "reaching_out": [{"supporter": person_ref(r.supporter), "at": r.at}
                              for r in a.responses.select_related("supporter")]}
            for a in CrisisAlert.objects.filter(person=user).select_related("on_duty_told")
            .prefetch_related("notified").order_by("raised_at", "pk")
        ],
    }


def export_alerts_answered(user) -> list[dict]:
    """The crisis alerts this account said "I'm reaching out" to: whose, and when; never what lay behind them."""
    return [{"person": person_ref(r.alert.person), "alert_raised_at": r.alert.raised_at, "at": r.at}
            for r in AlertResponse.objects.filter(supporter=user).exclude(alert__person=user)
            .select_related("alert__person").order_by("at", "pk")]


# An organisation's local services are the programme's, not anyone's data: listed here only because an
# organisation names its on-duty professional; deleting an account touches no line.
holds("local_services", models=["safety.LocalService"])
holds("safety", models=["safety.SafetyPlan", "safety.CrisisAlert", "safety.AlertResponse"], export=export_safety)
# An answer goes with the account that gave it (CASCADE) and with the alert's person; nothing else names it.
holds("alerts_answered", models=[], export=export_alerts_answered)
