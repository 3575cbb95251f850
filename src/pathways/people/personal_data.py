"""What the people app holds about a person (see pathways.lib.personal_data): the account, its memberships
and profile, and invitations and sign-ups made with its address."""
from django.db.models import Q

from pathways.lib.personal_data import holds

from .models import Membership, Organisation, OrganisationInvitation, PendingSignUp, PersonProfile


def export_account(user) -> dict:
    return {
        "public_id": str(user.public_id),
        "email": user.email,
        "name": user.name,
        "preferred_name": user.preferred_name,
        "pronouns": user.pronouns,
        "joined_at": user.date_joined,
        "last_login": user.last_login,
        "home_organisation": user.home_organisation.name if user.home_organisation_id else None,
        "time_zone": user.time_zone,
        "memberships": [
            {"organisation": m["organisation__name"], "role": m["role"], "since": m["created_at"],
             "deactivated_at": m["deactivated_at"], "professional": m["professional__email"],
             "counted_in_programme_statistics": m["statistics_consent"],
             "statistics_choice_changed_at": m["statistics_consent_changed_at"]}
            for m in Membership.objects.filter(user=user).values(
                "organisation__name", "role", "created_at", "deactivated_at", "professional__email",
                "statistics_consent", "statistics_consent_changed_at").order_by("created_at", "pk")
        ],
    }


def export_profile(user) -> dict | None:
    profile = PersonProfile.objects.filter(user=user).first()
    if profile is None:
        return None
    return {"culture": profile.culture, "language": profile.language, "faith": profile.faith,
            "what_helps": profile.what_helps, "how_to_reach_me": profile.how_to_reach_me, "country": profile.country,
            "updated_at": profile.updated_at}


def export_on_duty(user) -> list[str]:
    """The organisations that chose this account as their on-duty professional (emptied when it is deleted)."""
    return list(Organisation.objects.filter(on_duty_professional=user).order_by("pk").values_list("name", flat=True))


def forget_address(user) -> None:
    """Invitations to this address or accepted by the account, sign-ups waiting with it, failed sign-ins."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    OrganisationInvitation.objects.filter(Q(email__iexact=user.email) | Q(accepted_by=user)).delete()
    PendingSignUp.objects.filter(email__iexact=user.email).delete()
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__iexact=user.email).delete()


# An organisation is the programme's, not a person's; the account's place in it is a Membership.
holds("account", models=["people.User", "people.Membership", "people.OrganisationInvitation",
                         "people.PendingSignUp"], export=export_account, forget=forget_address)
holds("profile", models=["people.PersonProfile"], export=export_profile)
# Only its on-duty professional names an account, and only as a staff role (SET_NULL when that account goes).
holds("on_duty", models=["people.Organisation"], export=export_on_duty)
