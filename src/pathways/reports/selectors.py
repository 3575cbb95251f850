"""The caseload: the people who share something with a supporter, only what they share, who needs attention first.

The page reads each kind of state once for everyone on it (the queries do not grow with the caseload), decides
from the grants already loaded (`policy.decisions_from_grants`), and logs every state it shows in one go.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from uuid import UUID

from django.db.models import Max, Prefetch
from django.utils import timezone

from pathways.checkins import warning_rules
from pathways.checkins.models import DailyCheckIn, GentleNote
from pathways.circle.models import ACCESS_RANK, Category
from pathways.circle.policy import decisions_from_grants, log_reads
from pathways.circle.selectors import live_grants_held
from pathways.conversations.models import SessionNote
from pathways.conversations.selectors import latest_message_at
from pathways.people.models import Membership, Role, User
from pathways.people.selectors import by_name
from pathways.plans.models import Plan
from pathways.safety.models import AlertResponse, CrisisAlert

QUIET_CHECKIN_DAYS = 7  # from this many days without a check-in, the card says so
ALERT_OPEN_HOURS = 24  # a crisis alert stays on the caseload this long
EARLY_WARNING_DAYS = 7  # and a noticed early-warning sign this long


@dataclass
class OpenAlert:
    public_id: UUID
    raised_at: datetime
    answered_by: list[str]  # who said they are reaching out ("you" for the viewer)


@dataclass
class EarlyWarning:
    noticed_on: date
    sign: str  # which sign, only when the person chose to let supporters know; otherwise ""


@dataclass
class CaseloadEntry:
    person: User
    shares: list[tuple[str, str]]  # (category label, access label)
    grants: list  # the consents that let the viewer see this person's information
    shows_progress: bool
    plan_updated_at: datetime | None = None
    last_checkin_on: date | None = None
    days_without_checkin: int | None = None  # set only from QUIET_CHECKIN_DAYS on
    open_alert: OpenAlert | None = None
    early_warning: EarlyWarning | None = None
    days_since_contact: int | None = None  # since the viewer last answered an alert of theirs, or wrote a note
    shown: list[str] = field(default_factory=list)  # the categories whose state the card shows

    @property
    def attention(self) -> int:
        """Lower first: an unanswered alert, an answered one, an early-warning sign, check-ins gone quiet."""
        if self.open_alert:
            return 0 if not self.open_alert.answered_by else 1
        if self.early_warning:
            return 2
        if self.days_without_checkin:
            return 3
        return 4


PROGRESS_CATEGORIES = {Category.PLAN, Category.CHECKINS, Category.MEASURES, Category.USE_LOG}


def caseload(*, viewer) -> list[CaseloadEntry]:
    """One entry per person with a live grant to the viewer, each state only where its category is shared; the
    people who need attention first, then everyone else by name."""
    grants = live_grants_held(viewer=viewer)
    decisions = decisions_from_grants(viewer, grants)
    entries = _entries(grants)
    if not entries:
        return []

    def sharing(category: Category) -> list[int]:
        return [person_id for person_id in entries if (person_id, category) in decisions]

    now = timezone.now()
    today = timezone.localdate()
    for person_id, updated_at in Plan.objects.filter(person_id__in=sharing(Category.PLAN)).values_list(
            "person_id", "updated_at"):
        _show(entries[person_id], Category.PLAN, plan_updated_at=updated_at)
    for person_id, last_day in (DailyCheckIn.objects.filter(person_id__in=sharing(Category.CHECKINS))
                                .values("person_id").annotate(last_day=Max("day")).values_list("person_id", "last_day")):
        quiet_for = (today - last_day).days
        _show(entries[person_id], Category.CHECKINS, last_checkin_on=last_day,
              days_without_checkin=quiet_for if quiet_for >= QUIET_CHECKIN_DAYS else None)
    for alert in _open_alerts(viewer, sharing(Category.CRISIS_ALERTS), since=now - timedelta(hours=ALERT_OPEN_HOURS)):
        entry = entries[alert.person_id]
        if entry.open_alert is None:  # the newest alert told to the viewer
            answered_by = ["you" if response.supporter_id == viewer.pk else response.supporter.display_name
                           for response in alert.responses.all()]
            _show(entry, Category.CRISIS_ALERTS,
                  open_alert=OpenAlert(public_id=alert.public_id, raised_at=alert.raised_at, answered_by=answered_by))
    for note in _noticed_signs(sharing(Category.EARLY_WARNING), since=now - timedelta(days=EARLY_WARNING_DAYS)):
        entry = entries[note.person_id]
        if entry.early_warning is None:
            sign = warning_rules.RULES[note.rule].title if note.sign_named_to_supporters else ""
            _show(entry, Category.EARLY_WARNING,
                  early_warning=EarlyWarning(noticed_on=timezone.localdate(note.fired_at), sign=sign))
    for person_id, last_at in (AlertResponse.objects.filter(supporter=viewer, alert__person_id__in=list(entries))
                               .values("alert__person_id").annotate(last_at=Max("at"))
                               .values_list("alert__person_id", "last_at")):
        # The viewer's own action, about someone who shares with them now: no category to check, nothing to log.
        entries[person_id].days_since_contact = (today - timezone.localdate(last_at)).days
    for person_id, last_at in latest_message_at(viewer=viewer, person_ids=entries).items():
        # A message either way is contact too: the viewer's own conversation, so again nothing to log.
        days = (today - timezone.localdate(last_at)).days
        if entries[person_id].days_since_contact is None or days < entries[person_id].days_since_contact:
            entries[person_id].days_since_contact = days
    for person_id, last_on in (SessionNote.objects.filter(author=viewer, person_id__in=list(entries))
                               .values("person_id").annotate(last_on=Max("happened_on"))
                               .values_list("person_id", "last_on")):
        # The viewer's own notes: the conversation each records was a contact too, so the nearer one counts.
        _contacted(entries[person_id], (today - last_on).days)
    log_reads(viewer, [(entry.person, category, decisions[entry.person.pk, category])
                       for entry in entries.values() for category in entry.shown])
    return sorted(entries.values(), key=lambda entry: (entry.attention, entry.person.display_name.lower()))


def _entries(grants) -> dict[int, CaseloadEntry]:
    """An entry per person the grants come from, with what they share at its strongest."""
    labels = dict(Category.choices)
    items: dict[int, dict[str, object]] = {}
    entries: dict[int, CaseloadEntry] = {}
    for grant in grants:
        entry = entries.setdefault(grant.person_id, CaseloadEntry(person=grant.person, shares=[], grants=[],
                                                                  shows_progress=False))
        entry.grants.append(grant)
        best = items.setdefault(grant.person_id, {})
        for item in grant.items.all():
            if item.category not in best or ACCESS_RANK[item.access] > ACCESS_RANK[best[item.category].access]:
                best[item.category] = item
    for person_id, entry in entries.items():
        best = items[person_id]
        entry.shares = [(labels[category], best[category].get_access_display())
                        for category in Category.values if category in best]
        entry.shows_progress = bool(PROGRESS_CATEGORIES & set(best))
    return entries


def _show(entry: CaseloadEntry, category: Category, **state) -> None:
    for name, value in state.items():
        setattr(entry, name, value)
    entry.shown.append(category)


def _contacted(entry: CaseloadEntry, days_ago: int) -> None:
    if entry.days_since_contact is None or days_ago < entry.days_since_contact:
        entry.days_since_contact = days_ago


def _open_alerts(viewer, person_ids: list[int], *, since: datetime) -> list[CrisisAlert]:
    """The recent alerts of these people that the viewer was told about, newest first, with who answered."""
    if not person_ids:
        return []
    responses = AlertResponse.objects.select_related("supporter").order_by("at", "pk")
    return list(CrisisAlert.objects.filter(person_id__in=person_ids, notified=viewer, raised_at__gte=since)
                .only("person", "public_id", "raised_at").order_by("-raised_at", "-pk")
                .prefetch_related(Prefetch("responses", queryset=responses)))


def _noticed_signs(person_ids: list[int], *, since: datetime) -> list[GentleNote]:
    """Recent gentle notes of these people whose supporters were told a sign was noticed, newest first."""
    if not person_ids:
        return []
    notes = (GentleNote.objects.filter(person_id__in=person_ids, fired_at__gte=since)
             .only("person", "rule", "fired_at", "supporters_told", "sign_named_to_supporters")
             .order_by("-fired_at", "-pk"))
    return [note for note in notes if note.supporters_told]


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
