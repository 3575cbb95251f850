"""A person's own answer to being counted in their programme's statistics: read it, and change it.

Who is counted in a report is decided where the figures are made (pathways.reports.outcome_selectors); this is the
person's side of it. The answer lives on their membership as a person of their home organisation: yes, no, or
not said, when the organisation's default applies (it says which in its notice). Monthly reports are frozen once
published, so a changed answer counts from the next one. Someone who uses Pathways on their own (a personal
organisation) is in no programme and is never counted.
"""
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from .models import Membership, Role


@dataclass(frozen=True)
class StatisticsChoice:
    organisation_name: str
    notice: str  # the organisation's own words
    counted_by_default: bool
    answer: bool | None  # None: not said
    changed_at: datetime | None

    @property
    def counted(self) -> bool:
        return self.counted_by_default if self.answer is None else self.answer


def _programme_membership(person) -> Membership | None:
    return (Membership.objects.select_related("organisation")
            .filter(user=person, role=Role.PERSON, organisation_id=person.home_organisation_id,
                    organisation__is_personal=False).first())


def _choice(membership: Membership) -> StatisticsChoice:
    organisation = membership.organisation
    return StatisticsChoice(organisation_name=organisation.name, notice=organisation.statistics_notice,
                            counted_by_default=organisation.statistics_by_default,
                            answer=membership.statistics_consent, changed_at=membership.statistics_consent_changed_at)


def statistics_choice(*, person) -> StatisticsChoice | None:
    """The person's answer in their programme; None when they are in no organisation's programme."""
    membership = _programme_membership(person)
    return None if membership is None else _choice(membership)


@transaction.atomic
def statistics_choice_set(*, person, answer: bool | None) -> StatisticsChoice | None:
    """Say yes, say no, or go back to not having said. Saving the answer already given changes nothing, so its
    date keeps saying when the person last changed their mind."""
    membership = _programme_membership(person)
    if membership is None:
        return None
    if membership.statistics_consent is not answer:
        membership.statistics_consent = answer
        membership.statistics_consent_changed_at = timezone.now()
        membership.save(update_fields=["statistics_consent", "statistics_consent_changed_at"])
    return _choice(membership)
