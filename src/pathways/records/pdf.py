"""The recovery plan and the safety plan as printable PDF documents (WeasyPrint).

Each is read through the same selector as its page, so the one access policy decides who may have it and the
read is written to the access log like any other: the person, and whoever they granted that plan to. The
documents are made for paper in black and white: nothing is said by colour alone (a step's status is a word),
text is black on white, each part starts on a new page or stays whole, and every page says whose plan it is and
when it was made.

The HTML is our own template with every value escaped, and WeasyPrint is given a fetcher that refuses every URL,
so nothing in a person's words can make the server read a file or call an address while rendering.
"""
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from pathways.plans.selectors import PlanOverview, plan_overview
from pathways.safety.models import SafetyPlan
from pathways.safety.selectors import CrisisLines, crisis_lines_for, safety_plan_get


def _no_fetching(url: str, *args, **kwargs):
    raise ValueError(f"a printed plan loads nothing from outside ({url[:40]})")


def _render(template: str, context: dict) -> bytes:
    html = render_to_string(template, {"made_on": timezone.localdate(), **context})
    return HTML(string=html, url_fetcher=_no_fetching).write_pdf()


@dataclass(frozen=True)
class Document:
    content: bytes
    name: str  # the file name's stem, e.g. "recovery-plan"


def plan_pdf(*, person, viewer) -> Document:
    overview: PlanOverview = plan_overview(person=person, viewer=viewer)  # the policy's check, logged
    return Document(_render("records/pdf/plan.html", {
        "person": person, "overview": overview, "plan": overview.plan,
        "wins": list(overview.plan.wins.all()), "is_person": viewer.pk == person.pk}), "recovery-plan")


def safety_plan_pdf(*, person, viewer, accept_language: str = "") -> Document:
    plan: SafetyPlan = safety_plan_get(person=person, viewer=viewer)  # the policy's check, logged
    crisis: CrisisLines = crisis_lines_for(person=person, accept_language=accept_language)
    return Document(_render("records/pdf/safety_plan.html", {
        "person": person, "plan": plan, "crisis": crisis, "is_person": viewer.pk == person.pk}), "safety-plan")
