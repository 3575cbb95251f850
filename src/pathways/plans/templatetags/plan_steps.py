"""Lists of steps, each list rendered in one pass of one template.

A plan holds dozens of steps, and the plan page was mostly the work of drawing them: a template included once
per step, each step's ids and addresses worked out by many template lookups. Here each list is one inclusion,
and what a step's markup prints is worked out once per step in Python.
"""
from django import template
from django.urls import reverse
from django.utils.text import slugify

register = template.Library()
# Any id no step will have for a long while; see _addresses.
_PLACEHOLDER_ID = 987654321987


@register.inclusion_tag("plans/_steps.html", takes_context=True)
def step_items(context, steps, *, id_prefix="step", show_goal=False, readonly=False, next_path="", just_changed=""):
    """The <li> of each step in `steps`, for a <ul class="steps"> around them. `id_prefix` tells this list's
    copies of the steps from another list's on the same page; `next_path` is where the plain form returns to
    (this page when not given); `just_changed` is the message shown after an htmx change."""
    prefix = slugify(id_prefix or "step")
    action_url, edit_url = _addresses("plans:step_action"), _addresses("plans:step_edit")
    # Dicts, not the Step objects: the template engine tries a key before an attribute, and on an object that
    # first try fails with an exception, for every lookup of every step.
    rows = [{"status": step.status, "text": step.text, "due_on": step.due_on, "goal": step.goal if show_goal else None,
             "element_id": f"{prefix}-{step.pk}", "action_url": action_url(step.pk), "edit_url": edit_url(step.pk)}
            for step in steps]
    return {"steps": rows, "id_prefix": prefix, "readonly": readonly,
            "next_path": next_path or context["request"].get_full_path(), "just_changed": just_changed}


@register.inclusion_tag("plans/_steps.html", takes_context=True)
def step_item(context, step, **options):
    """One step's <li>, as the htmx answer to pressing one of its buttons."""
    return step_items(context, [step], **options)


def _addresses(view_name: str):
    """The view's address for any step id. reverse() costs more than everything else a step needs, so it runs
    once per list, for a placeholder id, and each step's id takes the placeholder's place."""
    before, after = reverse(view_name, args=[_PLACEHOLDER_ID]).rsplit(str(_PLACEHOLDER_ID), 1)
    return lambda step_id: f"{before}{step_id}{after}"
