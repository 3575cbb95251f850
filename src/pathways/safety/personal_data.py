"""What the safety app holds about a person (see pathways.lib.personal_data): the safety plan and crisis alerts."""
from pathways.lib.personal_data import holds, person_ref

from .models import CrisisAlert, SafetyPlan


def export_safety(user) -> dict:
    plan = SafetyPlan.objects.filter(person=user).first()
    return {
        "plan": ({name: getattr(plan, name) for name in SafetyPlan.SECTIONS} | {"updated_at": plan.updated_at}
                 if plan else None),
        "crisis_alerts": [
            {"raised_at": a.raised_at, "day": a.day, "level": a.level, "source": a.source,
             "supporters_told": [person_ref(u) for u in a.notified.order_by("pk")]}
            for a in CrisisAlert.objects.filter(person=user).prefetch_related("notified").order_by("raised_at", "pk")
        ],
    }


# An organisation's local services are the programme's, not anyone's data.
holds("safety", models=["safety.SafetyPlan", "safety.CrisisAlert"], export=export_safety)
