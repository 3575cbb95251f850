"""The person's circle pages, consents, the access log, and how supporters join and read a grant."""
import csv

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from pathways.people.models import User
from pathways.verification.recent import recent_authentication_required  # consent changes: confirm it is you

from . import consent_log, selectors, services, wording
from .forms import CircleInviteForm, EmergencyAccessForm, GrantForm, LogFilterForm, StaffChoiceForm, SupporterJoinForm
from .policy import may_use_emergency_access


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")[:-1]


@login_required
def circle(request: HttpRequest) -> HttpResponse:
    person = request.user
    return render(request, "circle/circle.html", {
        "members": selectors.circle_for_person(person=person, viewer=request.user),
        "invitations": selectors.open_invitations(person=person, viewer=request.user),
        "invite_form": CircleInviteForm(),
        "staff_form": _staff_form(request),
    })


def _staff_form(request: HttpRequest, data=None) -> StaffChoiceForm | None:
    staff = selectors.staff_to_choose_from(person=request.user, viewer=request.user)
    return StaffChoiceForm(data, staff_choices=staff) if staff else None


@login_required
def invite(request: HttpRequest) -> HttpResponse:
    selectors.open_invitations(person=request.user, viewer=request.user)  # only people with a plan have a circle
    form = CircleInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        invitation, token = services.invitation_create(person=request.user, base_url=_base_url(request),
                                                       **form.cleaned_data)
        link = request.build_absolute_uri(reverse("circle:join", args=[token]))
        return render(request, "circle/invitation_link.html", {"invitation": invitation, "link": link})
    return render(request, "circle/invite.html", {"form": form})


@login_required
@require_POST
def invitation_withdraw(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = selectors.invitation_get(invitation_id=invitation_id, viewer=request.user)
    services.invitation_withdraw(invitation=invitation)
    messages.success(request, f"Withdrew the invitation for {invitation.name}. The link no longer works.")
    return redirect("circle:circle")


@login_required
@require_POST
@recent_authentication_required
def staff_add(request: HttpRequest) -> HttpResponse:
    form = _staff_form(request, request.POST)
    if form is None or not form.is_valid():
        messages.error(request, "Choose someone from your organisation's list.")
        return redirect("circle:circle")
    staff = User.objects.get(pk=form.cleaned_data["staff"])
    member = services.staff_add(person=request.user, staff=staff)
    messages.success(request, f"{staff.display_name} is in your circle. They see nothing until you share something.")
    return redirect("circle:grant_new", member_id=member.public_id)


@login_required
@require_POST
@recent_authentication_required
def member_remove(request: HttpRequest, member_id) -> HttpResponse:
    member = selectors.member_get(member_public_id=member_id, viewer=request.user)
    services.member_remove(member=member)
    messages.success(request, f"{member.supporter.display_name} is no longer in your circle and sees nothing from now on.")
    return redirect("circle:circle")


@login_required
@recent_authentication_required
def grant_new(request: HttpRequest, member_id) -> HttpResponse:
    member = selectors.member_get(member_public_id=member_id, viewer=request.user)
    form = GrantForm(request.POST or None, person=member.person)
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.grant_create(member=member, items=form.items(), purpose=form.cleaned_data["purpose"],
                                          signature=form.cleaned_data["signature"], expires_at=form.expires_at(),
                                          expiry_event=form.cleaned_data["expiry_event"])
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, f"Signed. {member.supporter.display_name} can now see what you chose.")
            return redirect("circle:grant", grant_id=grant.public_id)
    return render(request, "circle/grant_form.html", {"form": form, "member": member})


@login_required
def grant_detail(request: HttpRequest, grant_id) -> HttpResponse:
    grant = selectors.grant_get(grant_public_id=grant_id, viewer=request.user)
    return render(request, "circle/grant_detail.html", {
        "grant": grant, "is_person": grant.person_id == request.user.pk,
        "consent_text": render_to_string("circle/grant.txt", {"grant": grant}),  # force-escaped when shown
    })


@login_required
def grant_download(request: HttpRequest, grant_id) -> HttpResponse:
    grant = selectors.grant_get(grant_public_id=grant_id, viewer=request.user)
    text = render_to_string("circle/grant.txt", {"grant": grant})
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="pathways-consent-{grant.signed_at:%Y-%m-%d}.txt"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
@recent_authentication_required
def grant_revoke(request: HttpRequest, grant_id) -> HttpResponse:
    """GET asks once, naming what ends and what the supporter keeps seeing under their other consents; POST revokes."""
    grant = selectors.grant_get(grant_public_id=grant_id, viewer=request.user)
    if grant.person_id != request.user.pk:  # the recipient may read a grant, never revoke it
        raise Http404
    if request.method == "POST":
        services.grant_revoke(grant=grant)
        messages.success(request, f"Revoked. {grant.recipient_name} can no longer see what this consent covered.")
        return redirect("circle:circle")
    if not grant.is_live():
        return redirect("circle:grant", grant_id=grant.public_id)  # nothing left to end
    others = [other for other in selectors.live_grants_of(member=grant.member) if other.pk != grant.pk]
    keeping = wording.categories_of(others)
    return render(request, "circle/grant_revoke.html", {
        "grant": grant, "name": grant.member.supporter.display_name, "keeping": keeping,
        "ending": [category for category in wording.categories_of([grant]) if category not in keeping],
    })


@login_required
@require_http_methods(["GET", "POST"])
@recent_authentication_required
def category_revoke(request: HttpRequest, member_id, category: str) -> HttpResponse:
    """Stop sharing one category with one member, keeping the rest: GET asks once, naming exactly what ends."""
    member = selectors.member_get(member_public_id=member_id, viewer=request.user)
    shared = wording.categories_of(selectors.live_grants_of(member=member))
    if category not in shared:
        raise Http404
    name = member.supporter.display_name
    if request.method == "POST":
        services.category_revoke(member=member, category=category)
        messages.success(request, f"Done. {name} no longer sees {wording.yours(category)}.")
        return redirect("circle:circle")
    return render(request, "circle/category_revoke.html", {
        "member": member, "name": name, "category": category,
        "keeping": [other for other in shared if other != category],
    })


@login_required
def grants(request: HttpRequest) -> HttpResponse:
    return render(request, "circle/grants.html", {"grants": selectors.grants_given(person=request.user,
                                                                                   viewer=request.user)})


def join(request: HttpRequest, token: str) -> HttpResponse:
    """Someone the person invited accepts, with the account they are signed in to or a new one."""
    try:
        invitation = services.invitation_find_open(token=token)
    except services.InvitationUnavailable:
        return render(request, "people/invitation_unavailable.html", status=404)
    if request.user.is_authenticated:
        if request.method == "POST":
            return _accept(request, lambda: services.invitation_accept(token=token, supporter=request.user))
        return render(request, "circle/join_signed_in.html", {"invitation": invitation})
    form = SupporterJoinForm(request.POST or None, initial={"email": invitation.email, "name": invitation.name})
    if request.method == "POST" and form.is_valid():
        return _accept(request, lambda: services.invitation_accept_new_account(token=token, **form.cleaned_data),
                       form=form, invitation=invitation)
    return render(request, "circle/join.html", {"form": form, "invitation": invitation})


def _accept(request, accept, form=None, invitation=None) -> HttpResponse:
    try:
        result = accept()
    except services.InvitationUnavailable:
        return render(request, "people/invitation_unavailable.html", status=404)
    except ValidationError as error:
        if form is None:
            messages.error(request, " ".join(error.messages))
            return redirect("home")
        form.add_error(None, "There is already an account with this email address. Log in first, then open the "
                             "link again." if "email" in getattr(error, "message_dict", {}) else error.messages)
        return render(request, "circle/join.html", {"form": form, "invitation": invitation})
    if isinstance(result, User):
        login(request, result, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, "You are in their circle. You will see what they choose to share with you.")
    return redirect("reports:caseload")


LOG_KINDS = [("", "All"), ("reads", "Who looked"), ("changes", "Changes to what I share")]


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    viewers = selectors.access_log_viewers(person=request.user, viewer=request.user)
    consent_log.endings_record(person=request.user)  # a consent that just reached its end date is listed now
    kind = request.GET.get("kind", "")
    kind = kind if kind in dict(LOG_KINDS) else ""
    filtering = any(value for name, value in request.GET.items() if name != "kind")
    form = LogFilterForm(request.GET if filtering else None, viewers=viewers)
    filters = selectors.LogFilters(kind=kind)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.LogFilters(kind=kind, viewer_ref=data["viewer"], category=data["category"],
                                       allowed={"allowed": True, "refused": False}.get(data["outcome"]),
                                       since=data["since"], until=data["until"])
    entries = selectors.access_log_for_person(person=request.user, viewer=request.user, filters=filters)
    return render(request, "circle/access_log.html", {"form": form, "entries": entries, "kind": kind,
                                                      "kinds": LOG_KINDS})


@login_required
def disclosures_download(request: HttpRequest) -> HttpResponse:
    entries = selectors.disclosures(person=request.user, viewer=request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="pathways-accounting-of-disclosures.csv"'
    writer = csv.writer(response)
    writer.writerow(["date (UTC)", "recipient", "recipient role", "what", "purpose", "authority"])
    for entry in entries:
        writer.writerow([entry.at.strftime("%Y-%m-%d %H:%M:%S"), _csv_safe(entry.viewer_name), entry.viewer_role,
                         entry.category_label, _csv_safe(entry.purpose),
                         "emergency access" if entry.emergency else "consent"])
    return response


def _csv_safe(text: str) -> str:
    """Keep spreadsheet programs from treating a name or purpose as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required
def emergency_access(request: HttpRequest, person_id) -> HttpResponse:
    person = selectors.person_by_public_id(public_id=person_id)
    if not may_use_emergency_access(request.user, person):
        raise Http404
    form = EmergencyAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.emergency_access_start(professional=request.user, person=person, reason=form.cleaned_data["reason"])
        messages.warning(request, "Emergency access is open for 60 minutes. It is logged, and the person will be told.")
        # The safety plan first: in an emergency it says who to call and what helps.
        return redirect("safety:shared_plan", person_id=person.public_id)
    return render(request, "circle/emergency_access.html", {"form": form, "person": person})
