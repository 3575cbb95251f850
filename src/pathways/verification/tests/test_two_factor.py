"""Two-step sign-in: setting up the app, logging in with a code or a recovery code, throttling, and who must."""
import html
import re
from datetime import timedelta

from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD, give_authenticator, totp_code
from pathways.circle import services as circle
from pathways.circle.models import SupporterRole
from pathways.people.models import User
from pathways.signins.models import AccountSession
from pathways.verification import devices, second_step

TWO_FACTOR = reverse("verification:two_factor")
LOGIN_CODE = reverse("verification:login_code")


def let_time_pass(user) -> None:
    """Pretend the pause after a wrong code is over (no sleeping)."""
    long_ago = timezone.now() - timedelta(hours=1)
    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(user=user).update(throttling_failure_timestamp=long_ago)


def wrong_code(device) -> str:
    return f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"


def password_step(user, client=None, next_url: str | None = None) -> Client:
    client = client or Client()
    data = {"username": user.email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    response = client.post(reverse("login"), data)
    assert response.status_code == 302 and response["Location"] == LOGIN_CODE, response.content.decode()[:300]
    return client


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


def with_two_step(user) -> tuple[TOTPDevice, list[str]]:
    return give_authenticator(user), devices.recovery_codes_replace(user=user)


# --- setting it up ------------------------------------------------------------------------------------

def test_setting_up_refuses_a_wrong_code_and_turns_on_with_the_right_one(client, pat):
    client.force_login(pat)
    page = client.get(reverse("verification:set_up"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=pat)
    assert not device.confirmed
    body = page.content.decode()
    assert "<svg" in body and "QR code to scan" in body
    assert devices.b32encode(device.bin_key).decode()[:4] in body  # the secret written out, for typing in
    # On the phone itself, a link opens the app with the secret (authenticator apps register otpauth://).
    link = re.search(r'href="(otpauth://totp/[^"]+)"', body).group(1)
    assert html.unescape(link) == device.config_url
    assert client.get(reverse("verification:set_up")).status_code == 200
    assert TOTPDevice.objects.get(user=pat).key == device.key  # a reload keeps the same secret

    refused = client.post(reverse("verification:set_up"), {"code": wrong_code(device)})
    assert refused.status_code == 200 and "That code did not work" in refused.content.decode()
    assert not TOTPDevice.objects.get(user=pat).confirmed

    let_time_pass(pat)
    done = client.post(reverse("verification:set_up"), {"code": totp_code(device)})
    assert done.status_code == 200
    assert TOTPDevice.objects.get(user=pat).confirmed
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(code in done.content.decode() for code in codes)
    stored = set(StaticToken.objects.filter(device__user=pat).values_list("token", flat=True))
    assert len(stored) == 10 and not stored & set(codes)  # only digests are kept
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id  # this session counts as verified
    assert "Two-step sign-in is on" in client.get(TWO_FACTOR).content.decode()


def test_setting_up_signs_out_the_accounts_other_devices(pat):
    elsewhere = Client()
    elsewhere.force_login(pat)
    here = Client()
    here.force_login(pat)
    here.get(reverse("verification:set_up"))
    here.post(reverse("verification:set_up"), {"code": totp_code(TOTPDevice.objects.get(user=pat))})
    assert elsewhere.get(reverse("plans:plan")).status_code == 302
    assert here.get(reverse("plans:plan")).status_code == 200


# --- logging in ---------------------------------------------------------------------------------------

def test_the_password_alone_does_not_sign_in_an_account_with_an_app(pat):
    device, _ = with_two_step(pat)
    client = Client()
    client.get(reverse("login"))
    first_key = client.session.session_key
    password_step(pat, client, next_url="/checkin/")
    assert not signed_in(client)
    assert client.session.session_key != first_key  # a new key already at the password step
    pending_key = client.session.session_key
    assert client.get(reverse("plans:plan"))["Location"].startswith(reverse("login"))

    refused = client.post(LOGIN_CODE, {"code": wrong_code(device)})
    assert refused.status_code == 200 and "That code did not work" in refused.content.decode()
    assert not signed_in(client)

    let_time_pass(pat)
    response = client.post(LOGIN_CODE, {"code": totp_code(device)})
    assert response.status_code == 302 and response["Location"] == "/checkin/"
    assert signed_in(client) and client.session.session_key != pending_key
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert AccountSession.objects.filter(user=pat, session_key=client.session.session_key).exists()
    assert client.get(reverse("plans:plan")).status_code == 200


def test_a_recovery_code_signs_in_once(pat):
    _, codes = with_two_step(pat)
    client = password_step(pat)
    assert client.post(LOGIN_CODE, {"code": codes[0]}).status_code == 302
    assert signed_in(client)
    assert devices.recovery_codes_left(user=pat) == 9

    again = password_step(pat)
    refused = again.post(LOGIN_CODE, {"code": codes[0]})
    assert refused.status_code == 200 and "That code did not work" in refused.content.decode()
    assert not signed_in(again)
    let_time_pass(pat)
    typed_loosely = " " + codes[1].upper().replace("-", " ") + " "  # as someone copies it off paper
    assert again.post(LOGIN_CODE, {"code": typed_loosely}).status_code == 302
    assert signed_in(again)


def test_an_app_code_works_once(pat):
    device, _ = with_two_step(pat)
    code = totp_code(device)
    assert password_step(pat).post(LOGIN_CODE, {"code": code}).status_code == 302
    replayed = password_step(pat).post(LOGIN_CODE, {"code": code})
    assert replayed.status_code == 200 and "did not work" in replayed.content.decode()


def test_guessing_codes_is_slowed_down_and_stopped(pat):
    device, _ = with_two_step(pat)
    client = password_step(pat)
    client.post(LOGIN_CODE, {"code": wrong_code(device)})
    # Straight after a wrong code even the right one waits (django-otp's throttling, kept in the database,
    # so a new session or another browser waits too).
    waiting = client.post(LOGIN_CODE, {"code": totp_code(device)})
    assert waiting.status_code == 200 and "please wait" in waiting.content.decode()
    assert not signed_in(client)
    assert "please wait" in password_step(pat).post(LOGIN_CODE, {"code": totp_code(device)}).content.decode()
    # However long one waits between guesses, five wrong codes end this attempt: the password again.
    for _ in range(second_step.MAX_WRONG_CODES - 1):
        let_time_pass(pat)
        response = client.post(LOGIN_CODE, {"code": wrong_code(device)})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert second_step.PENDING not in client.session
    assert client.get(LOGIN_CODE)["Location"] == reverse("login")
    let_time_pass(pat)
    assert client.post(LOGIN_CODE, {"code": totp_code(device)})["Location"] == reverse("login")
    assert not signed_in(client)


def test_the_code_step_lasts_a_few_minutes(pat):
    device, _ = with_two_step(pat)
    client = password_step(pat)
    session = client.session
    session[second_step.PENDING]["at"] -= second_step.PENDING_MINUTES * 60 + 1
    session.save()
    response = client.post(LOGIN_CODE, {"code": totp_code(device)})
    assert response["Location"] == reverse("login") and not signed_in(client)


def test_an_empty_code_is_explained(pat):
    with_two_step(pat)
    response = password_step(pat).post(LOGIN_CODE, {"code": ""})
    assert response.status_code == 200 and "Type the code from your app" in response.content.decode()


def test_a_session_signed_in_without_the_code_is_ended(lee):
    """Django's admin login takes only a password; for an account with an app, such a session opens nothing."""
    give_authenticator(lee)
    client = Client()
    client.force_login_password_only(lee)
    response = client.get(reverse("reports:caseload"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not signed_in(client)


# --- who must have it ---------------------------------------------------------------------------------

PAGES = ["/", "/people/", "/me/", "/notifications/", "/account/sessions/", "/account/my-data/", "/mi/",
         "/admin/", "/account/password_change/", "/account/email/"]


def test_staff_without_an_app_are_sent_to_set_it_up_from_every_page(lee):
    client = Client()
    client.force_login_password_only(lee)
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(TWO_FACTOR + "?next="), (path, response["Location"])
    refused_write = client.post(reverse("people:profile"), {"preferred_name": "Someone else"})
    assert refused_write["Location"].startswith(TWO_FACTOR)
    lee.refresh_from_db()
    assert lee.preferred_name == "Lee"
    htmx = client.get("/people/", HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="http://testserver/me/")
    assert htmx.status_code == 200 and htmx["HX-Redirect"] == TWO_FACTOR + "?next=/me/"
    assert htmx.content == b""
    assert client.get(TWO_FACTOR).status_code == 200
    assert client.get(reverse("verification:set_up")).status_code == 200
    assert client.get("/static/pathways/pathways.css").status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert not signed_in(client)


def test_setting_it_up_lets_staff_carry_on_where_they_were_going(lee):
    client = Client()
    client.force_login_password_only(lee)
    sent = client.get("/people/")["Location"]
    assert sent == TWO_FACTOR + "?next=/people/"
    assert 'href="/account/two-factor/set-up/?next=/people/"' in client.get(sent).content.decode()
    client.get(reverse("verification:set_up") + "?next=/people/")
    done = client.post(reverse("verification:set_up"),
                       {"code": totp_code(TOTPDevice.objects.get(user=lee)), "next": "/people/"})
    assert 'href="/people/"' in done.content.decode()
    assert client.get("/people/").status_code == 200


def test_an_ally_given_more_than_the_plans_must_have_it_and_the_person_need_not(pat, sam):
    _, token = circle.invitation_create(person=pat, role=SupporterRole.ALLY, name="Sam")
    member = circle.invitation_accept(token=token, supporter=sam)
    supporter, person = Client(), Client()
    supporter.force_login_password_only(sam)
    person.force_login_password_only(pat)
    caseload = reverse("reports:caseload")
    assert supporter.get(caseload).status_code == 200  # in the circle, nothing shared yet: their choice
    circle.grant_create(member=member, items={"plan": "view", "safety_plan": "view"}, purpose="Help", signature="Pat")
    assert supporter.get(caseload).status_code == 200
    assert "It is your choice" in supporter.get(TWO_FACTOR).content.decode()
    wider = circle.grant_create(member=member, items={"checkins": "view"}, purpose="Help", signature="Pat")
    assert supporter.get(caseload)["Location"].startswith(TWO_FACTOR)  # on the very next request
    assert "needs two-step sign-in" in supporter.get(TWO_FACTOR).content.decode()
    circle.grant_revoke(grant=wider)
    assert supporter.get(caseload).status_code == 200
    assert person.get(reverse("plans:plan")).status_code == 200
    assert person.get(reverse("circle:circle")).status_code == 200
    page = person.get(TWO_FACTOR).content.decode()
    assert "It is your choice" in page


def test_the_requirement_can_be_turned_off(lee, settings):
    settings.PATHWAYS_MFA_REQUIRED_FOR_STAFF = False
    client = Client()
    client.force_login_password_only(lee)
    assert client.get(reverse("reports:caseload")).status_code == 200


def test_a_person_may_turn_it_on_and_off_but_staff_may_not_turn_it_off(pat, lee):
    with_two_step(pat)
    person = Client()
    person.force_login(pat)
    assert person.post(reverse("verification:turn_off"))["Location"] == TWO_FACTOR
    assert not TOTPDevice.objects.filter(user=pat).exists() and not StaticToken.objects.filter(device__user=pat)

    staff = Client()
    staff.force_login(lee)
    staff.post(reverse("verification:turn_off"))
    assert TOTPDevice.objects.filter(user=lee, confirmed=True).exists()
    page = staff.get(TWO_FACTOR).content.decode()
    assert "stays on" in page and "Turn off two-step sign-in" not in page


def test_new_recovery_codes_replace_the_old_ones(pat):
    _, old = with_two_step(pat)
    client = Client()
    client.force_login(pat)
    response = client.post(reverse("verification:recovery_codes"))
    new = response.context["codes"]
    assert len(new) == 10 and not set(new) & set(old)
    assert devices.code_check(user=pat, code=old[0]).ok is False
    let_time_pass(pat)
    assert devices.code_check(user=pat, code=new[0]).ok is True


def test_django_staff_and_superusers_must_have_it_too(db):
    admin = User.objects.create_superuser(email="root@example.org", password=PASSWORD)
    client = Client()
    client.force_login_password_only(admin)
    assert client.get("/admin/")["Location"].startswith(TWO_FACTOR)
    client.force_login(admin)  # with the code: the admin site opens
    assert client.get("/admin/").status_code == 200
