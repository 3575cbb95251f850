"""Tell a person, as they sign in, that someone used emergency access to their record."""
from django.contrib import messages
from django.utils import timezone

from .services import emergency_notices_take


def tell_about_emergency_access(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "_messages"):
        return  # a sign-in outside a browser request (a script, a test client): the notification still tells them
    for access in emergency_notices_take(person=user):
        when = timezone.localtime(access.started_at).strftime("%d %b %Y at %H:%M")
        messages.warning(request, f"{access.professional.name or access.professional.display_name} opened your record "
                                  f"in an emergency on {when}, saying: “{access.reason}”. "
                                  "It is in “Who has seen my information”.")
