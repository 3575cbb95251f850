"""Django admin for accounts and organisations, for whoever runs the server (not for records)."""
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .forms import PROGRAMME_COUNTRIES
from .models import Membership, Organisation, OrganisationInvitation, User
from .time_zones import UNKNOWN_TIME_ZONE, time_zone_choices


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


class OrganisationAdminForm(forms.ModelForm):
    """Lists to choose from, so a mistyped zone or country cannot be saved (the model fields are free text)."""

    country = forms.ChoiceField(required=False, choices=PROGRAMME_COUNTRIES)
    time_zone = forms.ChoiceField(required=False, choices=lambda: [("", "Not set: the site's"), *time_zone_choices()],
                                  error_messages={"invalid_choice": UNKNOWN_TIME_ZONE})

    class Meta:
        model = Organisation
        fields = ["name", "is_personal", "country", "time_zone", "created_at"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationAdminForm
    list_display = ["name", "is_personal", "country", "time_zone", "created_at"]
    list_filter = ["is_personal", "country"]
    inlines = [MembershipInline]


@admin.register(OrganisationInvitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    exclude = ["token_digest"]
    readonly_fields = ["accepted_at", "accepted_by"]
