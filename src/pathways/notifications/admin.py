"""Django admin for whoever runs the server: email delivery status only, never what a notification says."""
from django.contrib import admin

from . import services
from .models import EmailDelivery


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(admin.ModelAdmin):
    list_display = ["pk", "status", "attempts", "next_attempt_at", "last_error", "sent_at"]
    list_filter = ["status", "last_error"]
    fields = readonly_fields = ["status", "attempts", "next_attempt_at", "claimed_by", "claimed_until", "last_error",
                                "created_at", "sent_at"]
    actions = ["try_again"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description="Try sending the selected emails again")
    def try_again(self, request, queryset):
        count = services.deliveries_try_again(delivery_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"{count} email(s) will be tried again by the worker.")
