"""Notification pages. Thin: parse, call one service or selector, render or redirect."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import ReminderSettingsForm


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    return render(request, "notifications/list.html", {
        "page": selectors.notification_list(viewer=request.user, page=request.GET.get("page")),
        "undeliverable": selectors.undeliverable_email_count(viewer=request.user),
    })


@login_required
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Go to what the notification is about, marking it read on the way."""
    notification = selectors.notification_get(viewer=request.user, notification_id=notification_id)
    services.mark_read(recipient=request.user, notification_ids=[notification.pk])
    if notification.link and url_has_allowed_host_and_scheme(notification.link, allowed_hosts=None):
        return redirect(notification.link)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_mark_read(request: HttpRequest) -> HttpResponse:
    values = request.POST.getlist("notification")
    # Only ids a database column can hold ("²" is a digit to isdigit(), 10**30 overflows the column); a post
    # that names notifications, even wrongly, never marks them all.
    ids = [int(value) for value in values if value.isascii() and value.isdigit() and len(value) <= 18]
    services.mark_read(recipient=request.user, notification_ids=ids if values else None)
    messages.success(request, "Marked as read." if values else "All marked as read.")
    return redirect("notifications:list")


@login_required
def reminder_settings(request: HttpRequest) -> HttpResponse:
    setting = selectors.reminder_settings_get(viewer=request.user)
    form = ReminderSettingsForm(request.POST if request.method == "POST" else None, setting=setting)
    if request.method == "POST" and form.is_valid():
        try:
            services.reminder_settings_update(person=request.user, **form.changes())
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, "Saved. You can change these whenever you like.")
            return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})
