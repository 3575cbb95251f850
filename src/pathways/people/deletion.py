"""Deleting an account and everything about the person, in one transaction.

What stays: the access log. The law asks for it to be kept, and it already names people only by public
id, so once the account row is gone nothing maps the id back to a name or an address. (Entries where
this person was the *viewer* of someone else's record keep the viewer name written at the time: they
are the other person's accounting of who saw their data, and the hash chain forbids changing them.)
"""
from django.db import transaction
from django.db.models import Q

from .models import AccountEmail, Membership, Organisation, OrganisationInvitation, PendingSignUp, Role, User

FORMER_MEMBER = "someone who has left Pathways"
DELETED_ACCOUNT = "a deleted account"
SUPPORTER_DELETED = "ended because the person it was shared with deleted their account"


class AccountDeletionRefused(Exception):
    """The account cannot be deleted yet; the message says why and what to do."""


def organisations_only_admin_of(*, user: User) -> list[Organisation]:
    """Organisations (not personal ones) where this account is the only admin."""
    administered = Organisation.objects.filter(memberships__user=user, memberships__role=Role.ADMIN,
                                               is_personal=False).distinct()
    return [org for org in administered
            if not Membership.objects.filter(organisation=org, role=Role.ADMIN).exclude(user=user).exists()]


def _names(user: User) -> set[str]:
    return {name for name in (user.name, user.preferred_name, user.display_name) if name and len(name) >= 2}


def _forget_in_others_records(user: User) -> None:
    """What other people's records say about this account: de-identified or removed."""
    from pathways.checkins.models import WarningNudge
    from pathways.circle.models import CircleInvitation, CircleMember
    from pathways.notifications.models import Kind, Notification
    from pathways.plans.models import PlanChange, Suggestion

    names = _names(user)
    # Notifications about this person sent to their supporters go: the titles safety.crisis_alert_raise and
    # checkins' early-warning telling write, matched exactly, so an alert about someone else is never caught.
    supporters = CircleMember.objects.filter(person=user).values("supporter_id")
    # Titles are encrypted at rest, so they are matched here rather than in SQL.
    titles = {title for name in names for title in (f"{name} may need support now", f"A sign was noticed for {name}")}
    about_them = [notification.pk for notification in Notification.objects.filter(
        recipient_id__in=supporters, kind__in=[Kind.CRISIS_ALERT, Kind.EARLY_WARNING]) if notification.title in titles]
    Notification.objects.filter(pk__in=about_them).delete()
    # Suggestions this account made in other people's plans, and the history lines naming it.
    for suggestion in Suggestion.objects.filter(author=user).exclude(plan__person=user).select_related("plan"):
        for change in PlanChange.objects.filter(plan=suggestion.plan):
            if f"suggested by {suggestion.author_name}" not in change.summary:
                continue
            change.summary = change.summary.replace(f"suggested by {suggestion.author_name}",
                                                    f"suggested by {FORMER_MEMBER}")[:400]
            change.save(update_fields=["summary"])
    Suggestion.objects.filter(author=user).exclude(plan__person=user).update(author_name=FORMER_MEMBER)
    # Invitations to other people's circles this account accepted: the name and address they used for it.
    CircleInvitation.objects.filter(accepted_by=user).exclude(person=user).update(name=FORMER_MEMBER, email="")
    # Early-warning notes of people this account supported list the supporters told, by name.
    for nudge in WarningNudge.objects.filter(person__circle__supporter=user).exclude(person=user).distinct():
        told = [FORMER_MEMBER if name in names else name for name in nudge.supporters_told]
        if told != nudge.supporters_told:
            nudge.supporters_told = told
            nudge.save(update_fields=["supporters_told"])


def end_what_others_shared_with(sender, instance: User, **kwargs) -> None:
    """Before an account is deleted (a pre_delete receiver, see apps.py): consents given to it end now and name
    "a deleted account"; the person who gave them keeps the record that they shared, with whom (in those words)
    and until when, and the account's place in their circle ends. The deletion itself then empties the foreign
    keys to the account (SET_NULL)."""
    from django.utils import timezone

    from pathways.circle.models import CircleMember, Grant

    user = instance
    now = timezone.now()
    held = Grant.objects.filter(recipient=user).exclude(person=user)
    held.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now), revoked_at__isnull=True).update(
        revoked_at=now, revoked_because=SUPPORTER_DELETED)
    held.update(recipient_name=DELETED_ACCOUNT)
    CircleMember.objects.filter(supporter=user, removed_at__isnull=True).exclude(person=user).update(removed_at=now)


def _forget_sign_in_records(user: User) -> None:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__iexact=user.email).delete()
    # Any other signed-in session of this account ends (the current one is ended by the view's logout).
    from pathways.signins.services import sessions_end

    sessions_end(user=user)


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete the account and all the person's data; keep the access log, now linked to no one.

    Refuses (AccountDeletionRefused) while the account is an organisation's only admin.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    sole = organisations_only_admin_of(user=user)
    if sole:
        raise AccountDeletionRefused(
            "You are the only admin of " + ", ".join(org.name for org in sole) + ". Invite another admin "
            "from the organisation's page first, so the programme is not left without one; then you can "
            "delete your account.")
    _forget_in_others_records(user)
    _forget_sign_in_records(user)
    OrganisationInvitation.objects.filter(Q(email__iexact=user.email) | Q(accepted_by=user)).delete()
    PendingSignUp.objects.filter(email__iexact=user.email).delete()
    AccountEmail.objects.filter(email__iexact=user.email).delete()
    home = user.home_organisation
    # Grants given, the circle, plan, check-ins, safety plan, notifications, transcripts: all cascade from
    # the account (supporters lose access on their next request, as after a revocation). Grants held and
    # places in other people's circles stay theirs, ended (end_what_others_shared_with, on pre_delete).
    user.delete()
    if home is not None and home.is_personal and not home.members.exists() and not home.memberships.exists():
        home.delete()
