"""The caseload: the people who share something with a supporter, and only what they share."""
from dataclasses import dataclass
from datetime import date, datetime

from pathways.checkins.models import DailyCheckIn
from pathways.circle.models import Category
from pathways.circle.policy import Access, require_and_log
from pathways.circle.selectors import live_grants_held
from pathways.people.models import Membership, Role, User
from pathways.people.selectors import by_name
from pathways.plans.models import Plan


@dataclass
class CaseloadEntry:
    person: object
    shares: list[tuple[str, str]]  # (category label, access label)
    plan_updated_at: datetime | None
    last_checkin_on: date | None
    shows_progress: bool
    grants: list  # the consents that let the viewer see this person's information


PROGRESS_CATEGORIES = {Category.PLAN, Category.CHECKINS, Category.MEASURES, Category.USE_LOG}


def caseload(*, viewer) -> list[CaseloadEntry]:
    """One entry per person with a live grant to the viewer; latest activity only where it is shared."""
    by_person: dict[int, tuple[object, dict[str, str], list]] = {}
    for grant in live_grants_held(viewer=viewer):
        person, shares, grants = by_person.setdefault(grant.person_id, (grant.person, {}, []))
        grants.append(grant)
        for item in grant.items.all():
            shares[item.category] = item.get_access_display()
    entries = []
    labels = dict(Category.choices)
    for person, shares, grants in by_person.values():
        plan_updated_at = None
        if Category.PLAN in shares:
            require_and_log(viewer, person, Category.PLAN, Access.VIEW)  # logged like any other read
            plan_updated_at = Plan.objects.filter(person=person).values_list("updated_at", flat=True).first()
        last_checkin_on = None
        if Category.CHECKINS in shares:
            require_and_log(viewer, person, Category.CHECKINS, Access.VIEW)
            last_checkin_on = DailyCheckIn.objects.filter(person=person).values_list("day", flat=True).first()
        entries.append(CaseloadEntry(person=person, plan_updated_at=plan_updated_at, grants=grants,
                                     last_checkin_on=last_checkin_on, shows_progress=bool(PROGRESS_CATEGORIES & set(shares)),
                                     shares=[(labels[c], shares[c]) for c in Category.values if c in shares]))
    return sorted(entries, key=lambda entry: entry.person.display_name.lower())


def emergency_access_candidates(*, viewer) -> list:
    """For a professional: the people of their organisation, so emergency access can be reached when needed.

    Only names are listed (the roster an admin also sees); opening any record still needs the policy.
    """
    organisations = Membership.objects.filter(user=viewer, role=Role.PROFESSIONAL,
                                              organisation__is_personal=False).values("organisation_id")
    people = (User.objects.filter(is_active=True, home_organisation_id__in=organisations,
                                  memberships__role=Role.PERSON, memberships__organisation_id__in=organisations)
              .exclude(pk=viewer.pk).distinct())
    return sorted(people, key=by_name)
