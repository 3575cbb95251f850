"""Django admin for accounts and organisations, for whoever runs the server (not for records)."""
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Membership, Organisation, OrganisationInvitation, User


@admin.register(User)
class AccountAdmin(UserAdmin):
    ordering = ["email"]
    list_display = ["email", "preferred_name", "is_active", "is_staff"]
    search_fields = ["email"]  # names are encrypted at rest, so SQL cannot search them
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("About", {"fields": ["name", "preferred_name", "pronouns", "home_organisation"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "is_personal", "created_at"]
    list_filter = ["is_personal"]
    inlines = [MembershipInline]


@admin.register(OrganisationInvitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    exclude = ["token_digest"]
    readonly_fields = ["accepted_at", "accepted_by"]
