"""Sign-up, joining by invitation, the person's profile, and the organisation admin's pages: the programme's
settings, its invitations, and the lists of its people and staff."""
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordResetView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import (
    AccountSearchForm,
    InviteForm,
    JoinForm,
    OrganisationAboutForm,
    OrganisationSettingsForm,
    ProfileForm,
    QueuedPasswordResetForm,
    SignUpForm,
)
from .lockout import client_ip
from .models import Role


def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # The same answer, after the same work, whether or not the address already has an account.
        services.sign_up_request(**form.cleaned_data, ip=client_ip(request))
        return redirect("people:sign_up_sent")
    return render(request, "people/sign_up.html", {"form": form})


def sign_up_sent(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    return render(request, "people/sign_up_sent.html")


def sign_up_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: a button to finish, so a mail scanner that opens links does not use it up."""
    if request.user.is_authenticated:
        return redirect("home")
    try:
        if request.method != "POST":
            services.sign_up_link_find(token=token)
            return render(request, "people/sign_up_confirm.html")
        user = services.sign_up_confirm(token=token)
    except services.SignUpLinkUnavailable:
        return render(request, "people/sign_up_link_unavailable.html", status=404)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, f"Welcome, {user.display_name}. This plan is yours: start wherever you like.")
    return redirect("plans:plan")


class PathwaysPasswordResetView(PasswordResetView):
    """Django's reset page, with the email queued (same time either way) and limited per address and IP."""

    form_class = QueuedPasswordResetForm


def join(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an organisation's invitation, with a new account or the one already signed in."""
    try:
        invitation = services.invitation_find_open(token=token)
    except services.InvitationUnavailable:
        return render(request, "people/invitation_unavailable.html", status=404)
    if request.user.is_authenticated:
        return _join_signed_in(request, token, invitation)
    form = JoinForm(request.POST or None, role=invitation.role)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept_new_account(token=token, **form.cleaned_data)
        except services.InvitationUnavailable:
            return render(request, "people/invitation_unavailable.html", status=404)
        except ValidationError:
            form.add_error(None, "There is already an account with this email address. Log in first, "
                                 "then open the invitation link again to add it to that account.")
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome to {invitation.organisation.name}.")
            return redirect("home")
    return render(request, "people/join.html", {"form": form, "invitation": invitation})


def _join_signed_in(request: HttpRequest, token: str, invitation) -> HttpResponse:
    if request.method == "POST":
        try:
            services.invitation_accept_existing_account(token=token, user=request.user)
        except services.InvitationUnavailable:
            return render(request, "people/invitation_unavailable.html", status=404)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("home")
        messages.success(request, f"You have joined {invitation.organisation.name}.")
        return redirect("home")
    return render(request, "people/join_signed_in.html", {"invitation": invitation})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm.for_user(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.profile_update(user=request.user, **form.cleaned_data)
        messages.success(request, "Saved.")
        return redirect("people:profile")
    return render(request, "people/profile.html", {"form": form})


@login_required
def organisations(request: HttpRequest) -> HttpResponse:
    administered = selectors.organisations_administered(viewer=request.user)
    if len(administered) == 1:
        return redirect("people:organisation", organisation_id=administered[0].pk)
    return render(request, "people/organisations.html", {"organisations": administered})


def _organisation_page(request: HttpRequest, org, *, invite_form=None, settings_form=None, about_form=None,
                       status: int = 200) -> HttpResponse:
    return render(request, "people/organisation.html", {
        "organisation": org, "roster": selectors.organisation_roster(organisation=org),
        "form": invite_form or InviteForm(),
        "settings_form": settings_form or OrganisationSettingsForm.for_organisation(org),
        "about_form": about_form or OrganisationAboutForm.for_organisation(org),
    }, status=status)


@login_required
def organisation(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """The admin's page; a post here saves the programme's settings (where it is, who is on duty, and whether
    counselling notes are kept apart)."""
    org = selectors.organisation_for_admin(organisation_id=organisation_id, viewer=request.user)
    if request.method != "POST":
        return _organisation_page(request, org)
    form = OrganisationSettingsForm.for_organisation(org, request.POST)
    if form.is_valid():
        try:
            services.organisation_settings_update(organisation=org, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Saved. People who chose their own country or time zone keep theirs.")
            return redirect("people:organisation", organisation_id=org.pk)
    return _organisation_page(request, org, settings_form=form, status=400)


@login_required
@require_POST
def invite(request: HttpRequest, organisation_id: int) -> HttpResponse:
    org = selectors.organisation_for_admin(organisation_id=organisation_id, viewer=request.user)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _organisation_page(request, org, invite_form=form, status=400)
    _, token = services.invitation_create(organisation=org, invited_by=request.user,
                                          email=form.cleaned_data["email"], role=form.cleaned_data["role"],
                                          base_url=request.build_absolute_uri("/")[:-1])
    link = request.build_absolute_uri(reverse("people:join", args=[token]))
    messages.success(request, f"Invitation sent as {Role(form.cleaned_data['role']).label}. "
                              f"You can also share this single-use link (valid for 7 days): {link}")
    return redirect("people:organisation", organisation_id=org.pk)


@login_required
@require_POST
def organisation_about(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """The programme's name and how its people are counted in its statistics."""
    org = selectors.organisation_for_admin(organisation_id=organisation_id, viewer=request.user)
    form = OrganisationAboutForm.for_organisation(org, request.POST)
    if not form.is_valid():
        return _organisation_page(request, org, about_form=form, status=400)
    services.organisation_about_update(organisation=org, **form.cleaned_data)
    messages.success(request, "Saved.")
    return redirect("people:organisation", organisation_id=org.pk)


@login_required
@require_POST
def invitation_withdraw(request: HttpRequest, organisation_id: int, invitation_id: int) -> HttpResponse:
    org = selectors.organisation_for_admin(organisation_id=organisation_id, viewer=request.user)
    invitation = selectors.open_invitation_for_admin(organisation=org, invitation_id=invitation_id)
    services.invitation_withdraw(invitation=invitation)
    messages.success(request, f"Withdrew the invitation to {invitation.email}. Its link no longer works.")
    return redirect("people:organisation", organisation_id=org.pk)


def _accounts_page(request: HttpRequest, organisation_id: int, *, staff: bool) -> HttpResponse:
    org = selectors.organisation_for_admin(organisation_id=organisation_id, viewer=request.user)
    form = AccountSearchForm(request.GET)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    return render(request, "people/organisation_accounts.html", {
        "organisation": org, "staff": staff, "form": form, "search": search,
        "accounts": selectors.organisation_accounts(organisation=org, staff=staff, search=search),
    })


@login_required
def people_list(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """The people the programme serves: their accounts, never their records."""
    return _accounts_page(request, organisation_id, staff=False)


@login_required
def staff_list(request: HttpRequest, organisation_id: int) -> HttpResponse:
    return _accounts_page(request, organisation_id, staff=True)
