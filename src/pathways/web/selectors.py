"""Reads for the layout every page shares: what the header and menu show the signed-in account."""
from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, Subquery, Value
from django.db.models.functions import Coalesce

from pathways.checkins.models import GentleNote
from pathways.circle.models import CircleMember
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
