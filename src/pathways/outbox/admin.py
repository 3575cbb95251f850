"""Django admin for whoever runs the server: what is waiting, sent or given up, never to whom or what it says."""
from django.contrib import admin

from . import services
from .models import OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["pk", "kind", "status", "attempts", "next_attempt_at", "last_error", "sent_at"]
    list_filter = ["status", "kind", "last_error"]
    fields = readonly_fields = ["kind", "status", "attempts", "next_attempt_at", "claimed_by", "claimed_until",
                                "last_error", "created_at", "sent_at"]
    actions = ["try_again"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description="Try sending the selected emails again")
    def try_again(self, request, queryset):
        count = services.emails_try_again(email_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"{count} email(s) will be tried again by the worker.")
