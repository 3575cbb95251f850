"""The second step at sign-in, confirming it is you, two-step sign-in settings, and a new email address."""
from base64 import b32encode
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from pathways.people.forms import EmailAuthenticationForm
from pathways.people.lockout import lockout_response
from pathways.signins.services import sessions_end

from . import devices, second_step, services
from .forms import AuthenticatorConfirmForm, CodeForm, ConfirmItsYouForm, EmailChangeForm
from .qr import qr_svg
from .recent import note_confirmed, recent_authentication_required, safe_next
from .requirement import has_second_factor, second_factor_required


class PathwaysLoginView(LoginView):
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        """An account with two-step sign-in is not signed in by its password alone: the code comes next."""
        user = form.get_user()
        if has_second_factor(user):
            return second_step.begin(self.request, user=user, next_url=self.get_success_url())
        return super().form_valid(form)


def login_code(request: HttpRequest) -> HttpResponse:
    """After the right password: the code from the app, or a recovery code."""
    user = second_step.pending_user(request)
    if user is None:
        if request.user.is_authenticated:
            return redirect("home")
        messages.info(request, "Please log in with your password first. For your safety, that step lasts "
                               f"{second_step.PENDING_MINUTES} minutes.")
        return redirect("login")
    form = CodeForm(request.POST or None, user=user)
    if request.method == "POST":
        if "cancel" in request.POST:
            second_step.cancel(request)
            return redirect("login")
        if form.is_valid():
            return redirect(second_step.finish(request, user=user, device=form.device))
        if form.wrong_code and second_step.wrong_code(request):
            messages.error(request, "That was too many wrong codes. For your safety, please log in again "
                                    "from the start.")
            return redirect("login")
    return render(request, "verification/login_code.html", {"form": form})


@login_required
def confirm(request: HttpRequest) -> HttpResponse:
    """Type the password again (and a code, with two-step sign-in), then carry on where you were."""
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = ConfirmItsYouForm(request.POST or None, request=request)
    if request.method == "POST":
        if form.is_valid():
            note_confirmed(request, form.device)
            return redirect(next_url)
        if form.locked_out:
            return lockout_response(request)
    return render(request, "verification/confirm.html", {
        "form": form, "next": next_url, "minutes": settings.PATHWAYS_REAUTH_MINUTES})


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(request, "verification/two_factor.html", {
        "enabled": has_second_factor(user), "required": second_factor_required(user),
        "codes_left": devices.recovery_codes_left(user=user),
        "next": safe_next(request, request.GET.get("next")) if request.GET.get("next") else "",
    })


@login_required
@recent_authentication_required
def set_up(request: HttpRequest) -> HttpResponse:
    """Add the app (scan or type the secret), then prove it works with one code before it counts."""
    user = request.user
    asked_next = request.POST.get("next") or request.GET.get("next")
    next_url = safe_next(request, asked_next) if asked_next else ""  # where the requirement interrupted
    if request.method == "POST" and devices.authenticator_being_set_up(user=user) is None:
        # A code posted before the page made a secret (no QR was ever shown): show the page, write nothing.
        return redirect(reverse("verification:set_up") + (f"?next={quote(next_url)}" if next_url else ""))
    device = devices.authenticator_pending(user=user)
    form = AuthenticatorConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check, codes = devices.authenticator_confirm(user=user, code=form.cleaned_data["code"])
        if check.ok:
            otp_login(request, check.device)
            note_confirmed(request)
            sessions_end(user=user, keep_key=request.session.session_key)  # others must sign in with a code
            return render(request, "verification/recovery_codes.html", {
                "codes": codes, "just_set_up": True, "next": next_url})
        form.add_error("code", f"Please wait {check.wait_seconds} seconds, then try the code showing then."
                       if check.wait_seconds else
                       "That code did not work. Check the app shows Pathways, and type the code showing now.")
    secret = b32encode(device.bin_key).decode()
    return render(request, "verification/set_up.html", {
        "form": form, "qr": qr_svg(device.config_url), "app_link": device.config_url, "next": next_url,
        "replacing": has_second_factor(user),
        "secret_groups": [secret[i:i + 4] for i in range(0, len(secret), 4)]})


@login_required
@require_POST
@recent_authentication_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, shown this once; the earlier ones stop working."""
    if not has_second_factor(request.user):
        return redirect("verification:two_factor")
    codes = devices.recovery_codes_replace(user=request.user)
    return render(request, "verification/recovery_codes.html", {"codes": codes, "just_set_up": False})


@login_required
@require_POST
@recent_authentication_required
def turn_off(request: HttpRequest) -> HttpResponse:
    if second_factor_required(request.user):
        messages.error(request, "Your account can see other people's information, so two-step sign-in has to "
                                "stay on. To move to a new phone, choose “Set up on a new phone”.")
        return redirect("verification:two_factor")
    devices.second_factor_remove(user=request.user)
    messages.success(request, "Two-step sign-in is off. You can turn it on again at any time.")
    return redirect("verification:two_factor")


@login_required
@recent_authentication_required
def email_change(request: HttpRequest) -> HttpResponse:
    form = EmailChangeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.email_change_request(user=request.user, new_email=form.cleaned_data["email"])
        except services.EmailChangeRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "We sent a link to the new address. Open it within "
                             f"{int(services.LINK_LIFETIME.total_seconds() // 3600)} hours to finish; until then your "
                             "account keeps its current address. We also told your current address.")
            return redirect("verification:email_change")
    return render(request, "verification/email_change.html", {"form": form})


def email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Opening the link shows a button (mail scanners that open links change nothing); pressing it moves
    the account to the new address."""
    try:
        change = services.email_change_find(token=token)
        if request.method == "POST":
            own = request.user.is_authenticated and request.user.pk == change.user_id
            services.email_change_confirm(token=token, keep_session_key=request.session.session_key if own else None)
            messages.success(request, "Your account now uses its new email address. Other devices were signed "
                                      "out; log in there with the new address.")
            return redirect("home" if own else "login")
    except services.EmailChangeUnavailable as reason:
        return render(request, "verification/email_unavailable.html", {"reason": str(reason)}, status=404)
    return render(request, "verification/email_confirm.html", {"change": change})
