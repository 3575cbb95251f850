"""What the circle app holds about a person (see pathways.lib.personal_data): their circle and consents, the
circles they support in, and who saw their data."""
from django.db.models import Q
from django.utils import timezone

from pathways.lib.personal_data import DELETED_ACCOUNT, DELETED_ACCOUNT_REF, FORMER_MEMBER, holds, person_ref, values

from .consent_log import change_record
from .models import AccessLogEntry, AlertPreference, Change, CircleInvitation, CircleMember, EmergencyAccess, Grant

SUPPORTER_DELETED = "ended because the person it was shared with deleted their account"


def _grant_terms(grant: Grant) -> dict:
    return {"public_id": str(grant.public_id),
            "shares": [{"category": i.category, "access": i.access} for i in grant.items.order_by("category")],
            "purpose": grant.purpose, "expires_at": grant.expires_at, "expiry_event": grant.expiry_event,
            "signed_at": grant.signed_at, "revoked_at": grant.revoked_at, "revoked_because": grant.revoked_because,
            "live": grant.is_live()}


def export_circle(user) -> dict:
    members = [
        {"public_id": str(m.public_id), "supporter": person_ref(m.supporter) or DELETED_ACCOUNT_REF, "role": m.role,
         "relationship": m.relationship, "joined_at": m.joined_at, "removed_at": m.removed_at,
         "crisis_alert_round": m.alert_round}
        for m in CircleMember.objects.filter(person=user).select_related("supporter").order_by("joined_at", "pk")
    ]
    grants = [
        _grant_terms(g) | {
            "recipient": {"public_id": str(g.recipient.public_id) if g.recipient else None, "name": g.recipient_name},
            "signature": g.signature}
        for g in Grant.objects.filter(person=user).select_related("recipient").prefetch_related("items")
        .order_by("signed_at", "pk")
    ]
    preference = AlertPreference.objects.filter(person=user).first()
    return {
        "members": members,
        "grants": grants,
        "crisis_alert_preference": ({"wait_minutes": preference.wait_minutes,
                                     "on_duty_professional_may_be_told": preference.on_duty_allowed,
                                     "updated_at": preference.updated_at} if preference else None),
        "invitations": values(CircleInvitation.objects.filter(person=user).order_by("created_at", "pk"), "name",
                              "email", "role", "relationship", "created_at", "expires_at", "accepted_at",
                              "withdrawn_at"),
        "emergency_accesses": [
            {"professional": person_ref(e.professional), "reason": e.reason, "started_at": e.started_at,
             "ends_at": e.ends_at, "told_to_me_at": e.person_told_at}
            for e in EmergencyAccess.objects.filter(person=user).select_related("professional")
            .order_by("started_at", "pk")
        ],
    }


def export_supporting(user) -> list[dict]:
    """The circles this account is in as a supporter, and the consents each person gave it: what was shared
    and on what terms, never the shared data itself (that is the other person's)."""
    grants_by_member: dict[int, list[dict]] = {}
    for g in Grant.objects.filter(recipient=user).prefetch_related("items").order_by("signed_at", "pk"):
        grants_by_member.setdefault(g.member_id, []).append(_grant_terms(g))
    return [
        {"person": person_ref(m.person), "my_role": m.role, "joined_at": m.joined_at, "removed_at": m.removed_at,
         "consents_given_to_me": grants_by_member.get(m.pk, [])}
        for m in CircleMember.objects.filter(supporter=user).exclude(person=user).select_related("person")
        .order_by("joined_at", "pk")
    ]


def export_access_log(user) -> list[dict]:
    """Who saw (or tried to see) what of this account's data, and changes to what it shares: its own entries."""
    from django.contrib.auth import get_user_model

    entries = list(AccessLogEntry.objects.filter(person_ref=str(user.public_id)).order_by("sequence"))
    known = {str(u.public_id): u.name or u.display_name
             for u in get_user_model().objects.filter(public_id__in={e.viewer_ref for e in entries if e.viewer_ref})}
    return [
        {"sequence": e.sequence, "at": e.at,
         "viewer": {"public_id": e.viewer_ref, "name_then": e.viewer_name,
                    "name_now": known.get(e.viewer_ref)},  # None: that account no longer exists
         "viewer_role": e.viewer_role, "category": e.category, "action": e.action, "allowed": e.allowed,
         "grant": e.grant_ref or None, "emergency": e.emergency, "purpose": e.purpose, "from_address": e.source}
        for e in entries
    ]


def forget_invitations_accepted(user) -> None:
    """Invitations to other people's circles this account accepted: the name and address they used for it."""
    CircleInvitation.objects.filter(accepted_by=user).exclude(person=user).update(name=FORMER_MEMBER, email="")


def end_what_others_shared_with(sender, instance, **kwargs) -> None:
    """Before an account is deleted (a pre_delete receiver, see apps.py): consents given to it end now and name
    "a deleted account"; the person who gave them keeps the record that they shared, with whom (in those words)
    and until when, and the account's place in their circle ends. The deletion itself then empties the foreign
    keys to the account (SET_NULL)."""
    user = instance
    now = timezone.now()
    held = Grant.objects.filter(recipient=user).exclude(person=user)
    for grant in held.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now), revoked_at__isnull=True):
        grant.revoked_at, grant.revoked_because = now, SUPPORTER_DELETED
        grant.save(update_fields=["revoked_at", "revoked_because"])
    held.update(recipient_name=DELETED_ACCOUNT)
    # Each person they supported sees, in "Who has seen my information", that this place in their circle ended.
    for member in CircleMember.objects.filter(supporter=user, removed_at__isnull=True).exclude(person=user) \
            .select_related("person"):
        member.removed_at = now
        member.save(update_fields=["removed_at"])
        change_record(Change.SUPPORTER_LEFT, person=member.person, other=None, other_name=DELETED_ACCOUNT,
                      role=member.role, opens=False)


holds("circle", models=["circle.CircleMember", "circle.CircleInvitation", "circle.Grant", "circle.GrantItem",
                        "circle.EmergencyAccess", "circle.AlertPreference"],
      export=export_circle, forget=forget_invitations_accepted)
holds("supporting", models=[], export=export_supporting)
# The access log stays when an account is deleted (the law asks for it); it names people by public id only.
holds("access_log", models=["circle.AccessLogEntry"], export=export_access_log)
