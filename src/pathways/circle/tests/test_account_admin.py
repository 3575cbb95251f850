"""An organisation admin changes an account of the organisation: deactivating it ends its sessions and every
consent it gave or holds, reactivating lets it sign in again (and brings no consent back), naming a person's
professional shares nothing and tells the person, and resetting a member of staff's two-step sign-in (after
the admin confirms it is them) removes their devices, signs them out and tells them by email. Each is in the
access log; another organisation's admin, or anyone else, gets 404."""
import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD, give_authenticator
from pathways.circle import account_services, policy, services
from pathways.circle.models import AccessLogEntry, Category, Change, Grant
from pathways.notifications.models import Notification
from pathways.outbox.models import OutgoingEmail
from pathways.people import services as people
from pathways.people.models import Membership, Role, User
from pathways.plans import selectors as plan_selectors
from pathways.plans import services as plans
from pathways.signins.models import AccountSession
from pathways.verification.devices import recovery_codes_replace

MARKER = "MARKER-admin-5e1b"


@pytest.fixture
def pat_here(pat, ada, organisation):
    """Pat joins the organisation's programme and writes her plan."""
    _, token = people.invitation_create(organisation=organisation, invited_by=ada, email=pat.email, role=Role.PERSON)
    people.invitation_accept_existing_account(token=token, user=pat)
    plans.recovery_meaning_update(plan=pat.plan, actor=pat, text=f"{MARKER} waking up glad")
    pat.refresh_from_db()
    return pat


@pytest.fixture
def sam_here(sam, organisation):
    Membership.objects.create(organisation=organisation, user=sam, role=Role.PEER_SUPPORTER)
    return sam


@pytest.fixture
def sams_grant(pat_here, sam_here):
    _, token = services.invitation_create(person=pat_here, role="peer_supporter", name="Sam")
    member = services.invitation_accept(token=token, supporter=sam_here)
    return services.grant_create(member=member, items={"plan": "view"}, purpose="Support", signature="Pat")


@pytest.fixture
def other_admin(db):
    elsewhere = people.organisation_create(name="Riverside Recovery")
    admin = User.objects.create_user(email="bo@example.org", password=PASSWORD, home_organisation=elsewhere)
    Membership.objects.create(organisation=elsewhere, user=admin, role=Role.ADMIN)
    return admin


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def changes_about(user) -> list[tuple[str, str]]:
    """(action, viewer_ref) of the change entries in the user's access log, oldest first."""
    return list(AccessLogEntry.objects.changes().filter(person_ref=str(user.public_id)).order_by("sequence")
                .values_list("action", "viewer_ref"))


# --- deactivating and reactivating -------------------------------------------------------------------------

def test_deactivating_a_person_signs_them_out_and_ends_what_they_share(organisation, ada, pat_here, sam_here,
                                                                       sams_grant):
    pats_phone = signed_in(pat_here)
    assert pats_phone.get("/plan/").status_code == 200
    assert AccountSession.objects.filter(user=pat_here).exists()

    ended = account_services.account_deactivate(organisation=organisation, account=pat_here, by=ada)

    assert ended == 1
    pat_here.refresh_from_db()
    assert not pat_here.is_active
    assert Membership.objects.get(user=pat_here, organisation=organisation).deactivated_at is not None
    assert not AccountSession.objects.filter(user=pat_here).exists()
    assert pats_phone.get("/plan/")["Location"].startswith(reverse("login"))  # her open session has ended
    grant = Grant.objects.get(pk=sams_grant.pk)
    assert grant.revoked_at is not None and grant.revoked_because == account_services.ENDED_BY_DEACTIVATION
    assert not policy.can(sam_here, pat_here, Category.PLAN, "view")
    assert changes_about(pat_here)[-1] == (Change.ACCOUNT_DEACTIVATED, str(ada.public_id))
    assert pat_here.plan.recovery_meaning.startswith(MARKER)  # the record is kept


def test_deactivating_a_member_of_staff_ends_the_consents_they_hold(organisation, ada, pat_here, sam_here,
                                                                    sams_grant):
    account_services.account_deactivate(organisation=organisation, account=sam_here, by=ada)
    assert Grant.objects.get(pk=sams_grant.pk).revoked_at is not None
    with pytest.raises(Http404):
        plan_selectors.plan_get(person=pat_here, viewer=User.objects.get(pk=sam_here.pk))
    entry = AccessLogEntry.objects.changes().get(person_ref=str(pat_here.public_id),
                                                 action=Change.STAFF_DEACTIVATED)
    assert (entry.viewer_ref, entry.grant_ref, entry.allowed) == (str(sam_here.public_id),
                                                                  str(sams_grant.public_id), False)
    assert entry.outcome_label == "Sharing ended"  # Pat's log: Sam's organisation ended what she shared with him
    assert changes_about(sam_here) == [(Change.ACCOUNT_DEACTIVATED, str(ada.public_id))]


def test_a_refused_deactivation_changes_nothing(organisation, ada, pat_here, sams_grant):
    with pytest.raises(ValidationError):
        account_services.account_deactivate(organisation=organisation, account=ada, by=ada)
    assert User.objects.get(pk=ada.pk).is_active
    assert not Membership.objects.filter(deactivated_at__isnull=False).exists()
    assert not AccessLogEntry.objects.filter(action=Change.ACCOUNT_DEACTIVATED).exists()


def test_if_the_log_cannot_be_written_nothing_is_deactivated(organisation, ada, pat_here, sams_grant, settings):
    settings.PATHWAYS_ACCESS_LOG_KEYS = ""  # no key to sign the log with: the change must not happen unlogged
    with pytest.raises(Exception):  # noqa: B017 (whatever the log's own error is, the point is what is left)
        account_services.account_deactivate(organisation=organisation, account=pat_here, by=ada)
    assert User.objects.get(pk=pat_here.pk).is_active
    assert Grant.objects.get(pk=sams_grant.pk).revoked_at is None
    assert not Membership.objects.filter(deactivated_at__isnull=False).exists()


def test_reactivating_lets_them_sign_in_but_brings_no_consent_back(organisation, ada, pat_here, sams_grant):
    account_services.account_deactivate(organisation=organisation, account=pat_here, by=ada)
    account_services.account_reactivate(organisation=organisation, account=pat_here, by=ada)
    pat_here.refresh_from_db()
    assert pat_here.is_active
    assert Membership.objects.get(user=pat_here, organisation=organisation).deactivated_at is None
    assert Grant.objects.get(pk=sams_grant.pk).revoked_at is not None
    assert authenticate(RequestFactory().post("/account/login/"), email=pat_here.email, password=PASSWORD) == pat_here
    assert changes_about(pat_here)[-2:] == [(Change.ACCOUNT_DEACTIVATED, str(ada.public_id)),
                                            (Change.ACCOUNT_REACTIVATED, str(ada.public_id))]
    reactivated = AccessLogEntry.objects.changes().filter(person_ref=str(pat_here.public_id)).first()
    assert reactivated.outcome_label == "What you share did not change"


# --- naming a person's professional ----------------------------------------------------------------------------

def test_naming_a_professional_shares_nothing_and_tells_the_person(organisation, ada, lee, pat_here):
    account_services.professional_name(organisation=organisation, person=pat_here, professional_id=lee.pk)
    assert Membership.objects.get(user=pat_here, role=Role.PERSON, organisation=organisation).professional == lee
    assert not Grant.objects.filter(recipient=lee).exists()
    with pytest.raises(Http404):
        plan_selectors.plan_get(person=pat_here, viewer=lee)
    notification = Notification.objects.get(recipient=pat_here, kind="professional_named")
    assert "Lee" in notification.body and notification.link == reverse("circle:circle")
    assert (Change.PROFESSIONAL_NAMED, str(lee.public_id)) in changes_about(pat_here)
    assert "Your organisation named Lee as your professional" in signed_in(pat_here).get(
        reverse("circle:circle")).content.decode()


def test_clearing_the_named_professional_tells_the_person_and_changes_nothing_shared(organisation, ada, lee,
                                                                                    pat_here):
    account_services.professional_name(organisation=organisation, person=pat_here, professional_id=lee.pk)
    assert account_services.professional_clear(organisation=organisation, person=pat_here) == lee
    assert Membership.objects.get(user=pat_here, role=Role.PERSON, organisation=organisation).professional is None
    notification = Notification.objects.filter(recipient=pat_here, kind="professional_named").latest("pk")
    assert "no longer names Lee" in notification.body
    assert (Change.PROFESSIONAL_CLEARED, str(lee.public_id)) in changes_about(pat_here)
    entry = AccessLogEntry.objects.filter(action=Change.PROFESSIONAL_CLEARED).get()
    assert entry.outcome_label == "What you share did not change"
    assert "Your organisation named Lee" not in signed_in(pat_here).get(reverse("circle:circle")).content.decode()
    with pytest.raises(ValidationError, match="has no named professional"):
        account_services.professional_clear(organisation=organisation, person=pat_here)


def test_the_admin_clears_a_professional_from_its_page_by_post_only(organisation, ada, lee, pat_here, other_admin):
    account_services.professional_name(organisation=organisation, person=pat_here, professional_id=lee.pk)
    admin = signed_in(ada)
    assert "Name no professional" in admin.get(url("professional", organisation, pat_here)).content.decode()
    assert admin.get(url("professional_clear", organisation, pat_here)).status_code == 405
    assert signed_in(other_admin).post(url("professional_clear", organisation, pat_here)).status_code == 404
    assert Membership.objects.get(user=pat_here, role=Role.PERSON, organisation=organisation).professional == lee
    response = admin.post(url("professional_clear", organisation, pat_here), follow=True)
    assert "has no named professional now" in response.content.decode()
    assert Membership.objects.get(user=pat_here, role=Role.PERSON, organisation=organisation).professional is None
    response = admin.post(url("professional_clear", organisation, pat_here), follow=True)  # again: said, not 500
    assert "has no named professional" in response.content.decode()
    assert "Name no professional" not in admin.get(url("professional", organisation, pat_here)).content.decode()


def test_a_professional_who_is_deactivated_is_nobodys_named_professional_any_more(organisation, ada, lee, pat_here):
    account_services.professional_name(organisation=organisation, person=pat_here, professional_id=lee.pk)
    account_services.account_deactivate(organisation=organisation, account=lee, by=ada)
    assert Membership.objects.get(user=pat_here, role=Role.PERSON, organisation=organisation).professional is None
    assert "Your organisation named Lee" not in signed_in(pat_here).get(reverse("circle:circle")).content.decode()


# --- resetting two-step sign-in ---------------------------------------------------------------------------------

def test_resetting_two_steps_removes_the_devices_ends_sessions_logs_and_emails(organisation, ada, lee):
    give_authenticator(lee)
    recovery_codes_replace(user=lee)
    lees_laptop = signed_in(lee)
    account_services.two_step_reset(organisation=organisation, account=lee, by=ada)
    assert not TOTPDevice.objects.filter(user=lee).exists() and not StaticDevice.objects.filter(user=lee).exists()
    assert not AccountSession.objects.filter(user=lee).exists()
    assert lees_laptop.get("/notifications/")["Location"].startswith(reverse("login"))
    assert changes_about(lee) == [(Change.TWO_STEP_RESET, str(ada.public_id))]
    email = OutgoingEmail.objects.get(kind=people.TWO_STEP_RESET_EMAIL)
    assert email.to == "lee@example.org" and email.person == lee
    assert "set up an authenticator app again" in email.body and "/account/login/" in email.body
    assert "token" not in email.body and "/confirm/" not in email.body  # no link that signs anyone in


def test_two_steps_are_reset_for_staff_only_and_never_the_admins_own(organisation, ada, pat_here):
    for account in (ada, pat_here):
        with pytest.raises(ValidationError):
            account_services.two_step_reset(organisation=organisation, account=account, by=ada)
    assert not OutgoingEmail.objects.filter(kind=people.TWO_STEP_RESET_EMAIL).exists()


# --- the pages --------------------------------------------------------------------------------------------------

def url(name, organisation, account):
    return reverse(f"accounts:{name}", args=[organisation.pk, account.public_id])


def test_the_admin_deactivates_from_a_page_that_says_what_will_happen(organisation, ada, pat_here, sams_grant):
    admin = signed_in(ada)
    page = admin.get(url("deactivate", organisation, pat_here)).content.decode()
    assert "Deactivate Pat" in page and "consent they gave ends" in page and MARKER not in page
    response = admin.post(url("deactivate", organisation, pat_here), follow=True)
    body = response.content.decode()
    assert "Deactivated Pat&#x27;s account" in body and "Deactivated on" in body and MARKER not in body
    assert not User.objects.get(pk=pat_here.pk).is_active


def test_a_refusal_is_explained_on_the_page(organisation, ada):
    response = signed_in(ada).post(url("deactivate", organisation, ada))
    assert response.status_code == 400 and "You cannot deactivate your own account" in response.content.decode()


def test_the_admin_names_a_professional_from_a_list_of_its_professionals(organisation, ada, lee, pat_here, sam):
    admin = signed_in(ada)
    assert "Lee (lee@example.org)" in admin.get(url("professional", organisation, pat_here)).content.decode()
    response = admin.post(url("professional", organisation, pat_here), {"professional": sam.pk})
    assert response.status_code == 400 and "Choose one of your organisation" in response.content.decode()
    assert admin.post(url("professional", organisation, pat_here), {"professional": lee.pk}).status_code == 302
    assert Membership.objects.get(user=pat_here, role=Role.PERSON, organisation=organisation).professional == lee


def test_resetting_two_steps_asks_the_admin_to_confirm_it_is_them(organisation, ada, lee, settings):
    give_authenticator(lee)
    settings.PATHWAYS_REAUTH_MINUTES = 0  # the admin signed in "a while ago"
    admin = signed_in(ada)
    response = admin.get(url("two_step_reset", organisation, lee))
    assert response.status_code == 302 and response["Location"].startswith(reverse("verification:confirm"))
    response = admin.post(url("two_step_reset", organisation, lee))
    assert response.status_code == 200 and "confirm" in response.content.decode().lower()
    assert TOTPDevice.objects.filter(user=lee).exists()  # nothing happened yet
    settings.PATHWAYS_REAUTH_MINUTES = 15
    admin = signed_in(ada)
    assert admin.post(url("two_step_reset", organisation, lee)).status_code == 302
    assert not TOTPDevice.objects.filter(user=lee).exists()


@pytest.mark.parametrize("name", ["deactivate", "reactivate", "professional", "two_step_reset"])
def test_nobody_but_the_organisations_admin_reaches_them(name, organisation, ada, lee, pat_here, sam_here,
                                                         other_admin, rue):
    account = lee if name == "two_step_reset" else pat_here
    if name == "reactivate":
        account_services.account_deactivate(organisation=organisation, account=pat_here, by=ada)
    before = (User.objects.get(pk=account.pk).is_active, AccessLogEntry.objects.count())
    for outsider in (other_admin, lee, sam_here, rue):
        client = signed_in(outsider)
        for method in ("get", "post"):
            assert getattr(client, method)(url(name, organisation, account)).status_code == 404
        # Nor through their own organisation's id with an account of another.
        own = Membership.objects.filter(user=outsider, role=Role.ADMIN).first()
        if own:
            path = reverse(f"accounts:{name}", args=[own.organisation_id, account.public_id])
            assert client.post(path).status_code == 404
    assert (User.objects.get(pk=account.pk).is_active, AccessLogEntry.objects.count()) == before


def test_an_account_of_another_organisation_is_404_for_this_admin(organisation, ada, other_admin):
    admin = signed_in(ada)
    for name in ("deactivate", "reactivate", "two_step_reset"):
        assert admin.post(url(name, organisation, other_admin)).status_code == 404
    assert User.objects.get(pk=other_admin.pk).is_active
