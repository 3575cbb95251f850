"""Which pages carry "Leave this page quickly": the ones about harm, crisis, use and private talk.

Pages opt in by URL name, in one list, so a new page of a sensitive app (a new check-in tool, a new crisis page)
has the button without anyone remembering to add it. A view can still decide for itself by putting `quick_exit`
(True or False) in its context, and a template by filling `{% block quick_exit %}` in base.html.
"""
from django.http import HttpRequest

# Every page of these URL namespaces is sensitive.
SENSITIVE_NAMESPACES = frozenset({
    "safety",  # the safety plan, crisis lines, crisis alerts and the "support now" page
    "checkins",  # the daily check-in, its answer page, the urge log
    "questionnaires",  # measures: some ask about harm
    "warning_signs",  # the early-warning plan and its gentle notes
    "conversations",  # messages with the circle
    "notes",  # notes written with a professional
    "tools",  # tools for the hard hour
})

# Pages in those namespaces that are an organisation's admin work, not anyone's own story.
NOT_SENSITIVE = frozenset({
    "safety:local_services", "safety:local_service_remove", "safety:local_service_move",
    "questionnaires:organisation",
})


def is_sensitive(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None or not match.namespace:
        return False
    return match.namespace in SENSITIVE_NAMESPACES and match.view_name not in NOT_SENSITIVE
