"""An organisation admin's changes to an account of the organisation, with everything that follows from them.

Each is people's change to the account (pathways.people.services, which also refuses what may not be done) and,
in the same transaction, what it means for the apps between: consents that end, the person told, two-step
devices and sessions gone, and one entry in the access log, which names the admin (or, for a named professional,
the professional) as the other party. They live here, above people, because the access log and consents are
the circle's; an admin never reads anyone's record through them.
"""
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from pathways.notifications.services import notify
from pathways.people import services as people
from pathways.people.models import Organisation, Role, User
from pathways.signins.services import sessions_end
from pathways.verification.devices import second_factor_remove

from .consent_log import change_record
from .models import Change, Grant

ENDED_BY_DEACTIVATION = "the account was deactivated by its organisation"


@transaction.atomic
def account_deactivate(*, organisation: Organisation, account: User, by: User) -> int:
    """The account leaves the programme and can no longer sign in; its record stays. Every live consent it gave
    (a person) or holds (a member of staff) ends now, as a revoked consent does; each person who gave one sees
    that in their log. Reactivating later brings none back. Returns how many consents ended."""
    people.memberships_deactivate(organisation=organisation, account=account, by=by)
    now = timezone.now()
    live = (Grant.objects.select_for_update(of=("self",)).select_related("person", "member")
            .filter(Q(person=account) | Q(recipient=account), revoked_at__isnull=True)
            .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now)).order_by("pk"))
    ended = 0
    for grant in live:
        grant.revoked_at, grant.revoked_because = now, ENDED_BY_DEACTIVATION
        grant.save(update_fields=["revoked_at", "revoked_because"])
        ended += 1
        if grant.person_id != account.pk:  # a consent this member of staff held: its giver's log says it ended
            change_record(Change.STAFF_DEACTIVATED, person=grant.person, other=account,
                          other_name=grant.recipient_name, role=grant.member.role, grant=grant, opens=False)
    change_record(Change.ACCOUNT_DEACTIVATED, person=account, other=by, role=Role.ADMIN, opens=False)
    return ended


@transaction.atomic
def account_reactivate(*, organisation: Organisation, account: User, by: User) -> None:
    """The account can sign in again. Consents that ended stay ended: whoever wants to share again chooses to."""
    people.memberships_reactivate(organisation=organisation, account=account)
    change_record(Change.ACCOUNT_REACTIVATED, person=account, other=by, role=Role.ADMIN, opens=False)


@transaction.atomic
def professional_name(*, organisation: Organisation, person: User, professional_id: int) -> User:
    """Name the person's professional. It shares nothing: the person is told, and decides whether to add them
    to their circle and what to share. Returns the professional."""
    professional = people.professional_name(organisation=organisation, person=person,
                                            professional_id=professional_id)
    change_record(Change.PROFESSIONAL_NAMED, person=person, other=professional, role=Role.PROFESSIONAL, opens=False)
    notify(recipient=person, kind="professional_named", title="Your organisation named your professional",
           body=(f"{organisation.name} named {professional.display_name} as your professional: the person there "
                 f"to contact about your support. {professional.display_name} sees nothing of yours unless you "
                 "share it. You can add them to your circle, and choose what to share, in “My circle”."),
           link=reverse("circle:circle"))
    return professional


@transaction.atomic
def professional_clear(*, organisation: Organisation, person: User) -> User:
    """Name no professional for the person. Nothing they share changes (naming shared nothing either); they are
    told, and anyone they added to their circle stays there. Returns the professional who was named."""
    former = people.professional_clear(organisation=organisation, person=person)
    change_record(Change.PROFESSIONAL_CLEARED, person=person, other=former, role=Role.PROFESSIONAL, opens=False)
    notify(recipient=person, kind="professional_named", title="Your organisation no longer names your professional",
           body=(f"{organisation.name} no longer names {former.display_name} as your professional. Nothing you "
                 "share has changed: if they are in your circle, they stay there until you choose otherwise, in "
                 "“My circle”."),
           link=reverse("circle:circle"))
    return former


@transaction.atomic
def two_step_reset(*, organisation: Organisation, account: User, by: User) -> None:
    """A member of staff lost their authenticator app and recovery codes: the admin, having confirmed it is
    them, removes both, so the next sign-in with the password sets two-step sign-in up again. Every session of
    the account ends, and the staff member is told by email."""
    people.two_step_reset_notice(organisation=organisation, account=account, by=by)
    second_factor_remove(user=account)
    sessions_end(user=account)
    change_record(Change.TWO_STEP_RESET, person=account, other=by, role=Role.ADMIN, opens=False)
