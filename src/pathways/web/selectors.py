"""Reads for the layout every page shares: what the header and menu show the signed-in account."""
from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, Subquery, Value
from django.db.models.functions import Coalesce

from pathways.checkins.models import GentleNote, WarningSign
from pathways.circle.models import AlertPreference, Category, CircleMember
from pathways.circle.telling import members_allowed
from pathways.lib.built_once import BuiltOnce
from pathways.notifications.models import Notification
from pathways.people.models import User
from pathways.people.selectors import admin_memberships, person_memberships, staff_memberships


@dataclass(frozen=True)
class Header:
    is_person_in_recovery: bool  # their own menu, and "My safety plan" instead of the crisis lines
    supports_someone: bool  # "People I support": anyone who is, or was, in someone's circle
    # Listening feedback is offered to staff of a programme, whose work is conversations; a family member or
    # friend in someone's circle is not offered a counselling tool (the pages stay open to anyone signed in).
    offers_listening_feedback: bool
    unread_notifications: int
    has_gentle_notes: bool  # unopened early-warning notes: the box that lists them asks for them only then
    administers_organisation: bool = False  # "My organisation": the admin's pages


SIGNED_OUT = Header(is_person_in_recovery=False, supports_someone=False, offers_listening_feedback=False,
                    unread_notifications=0, has_gentle_notes=False)


def _header_query(viewer_id: int):
    unread = (Notification.objects.filter(recipient_id=viewer_id, read_at__isnull=True)
              .order_by().values("recipient").annotate(count=Count("pk")).values("count"))
    return User.objects.filter(pk=viewer_id).values(
        is_person_in_recovery=Exists(person_memberships(viewer_id)),
        supports_someone=Exists(CircleMember.objects.filter(supporter_id=viewer_id)),
        offers_listening_feedback=Exists(staff_memberships(viewer_id)),
        unread_notifications=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)),
        has_gentle_notes=Exists(GentleNote.objects.filter(person_id=viewer_id, seen_at__isnull=True)),
        administers_organisation=Exists(admin_memberships(viewer_id)),
    )


_HEADER_QUERY = BuiltOnce(_header_query)


def header_get(*, viewer) -> Header:
    """Everything the header asks about the viewer, in one query: it runs on every page. Counted afresh each
    time, so a new notification or a new place in someone's circle shows on the very next page."""
    if viewer is None or not viewer.is_authenticated:
        return SIGNED_OUT
    row = _HEADER_QUERY.first_row(viewer.pk)
    if row is None:
        return SIGNED_OUT
    return Header(is_person_in_recovery=bool(row["is_person_in_recovery"]),
                  supports_someone=bool(row["supports_someone"]),
                  offers_listening_feedback=bool(row["offers_listening_feedback"]),
                  unread_notifications=int(row["unread_notifications"]),
                  has_gentle_notes=bool(row["has_gentle_notes"]),
                  administers_organisation=bool(row["administers_organisation"]))


# Who an answer would reach, said before the question is asked (no surprise alerts) -------------------------

@dataclass(frozen=True)
class WhoWouldBeTold:
    """Whom a risk answer (the check-in's question about harm, a questionnaire's risk item) would reach, in the
    order pathways.safety.escalation tells them, and whom a check-in matching a watched sign would reach."""

    first: list[str]  # told at once: the earliest round that has anyone in it
    later: list[str]  # told round by round, each after the person's wait, while nobody says they are reaching out
    wait_minutes: int
    on_duty: bool  # the organisation's on-duty professional, after the last round, when the person allowed it
    early_warning: list[str]  # told that a sign was noticed (never the answers), when check-ins watch for one

    @property
    def anyone(self) -> bool:
        return bool(self.first or self.later or self.on_duty)


def _names_of(members) -> list[str]:
    return [member.supporter.display_name for member in members]


def who_would_be_told(*, person) -> WhoWouldBeTold:
    """Read the same choices the alert will follow (the person's own: asked for their own pages only)."""
    crisis = [member for member, _ in members_allowed(person=person, category=Category.CRISIS_ALERTS)]
    rounds = sorted({member.alert_round for member in crisis})
    preference = AlertPreference.objects.filter(person=person).first() or AlertPreference(person=person)
    organisation = person.home_organisation
    on_duty = bool(preference.on_duty_allowed and organisation is not None and not organisation.is_personal
                   and organisation.on_duty_professional_id)
    watches_signs = WarningSign.objects.filter(person=person).exclude(watch="").exists()
    warned = members_allowed(person=person, category=Category.EARLY_WARNING) if watches_signs else []
    return WhoWouldBeTold(
        first=_names_of(m for m in crisis if rounds and m.alert_round == rounds[0]),
        later=_names_of(sorted((m for m in crisis if m.alert_round != rounds[0]), key=lambda m: m.alert_round)),
        wait_minutes=preference.wait_minutes, on_duty=on_duty,
        early_warning=_names_of(member for member, _ in warned))
