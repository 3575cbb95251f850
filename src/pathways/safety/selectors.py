"""Reads about safety: the plan (through the access policy), the crisis lines a person sees, and alerts."""
from dataclasses import dataclass, field
from datetime import datetime

from django.http import Http404
from django.utils import timezone

from pathways.circle.models import AlertPreference, CircleMember
from pathways.circle.policy import Access, Category, permits_and_log, require_and_log
from pathways.circle.telling import members_allowed
from pathways.people.countries import country_name
from pathways.people.models import PersonProfile
from pathways.people.pronouns import Words, words_for
from pathways.people.selectors import is_person_in_recovery

from .crisis_lines import CrisisLine, emergency_numbers, lines_for_country, shipped_countries
from .models import AlertResponse, CrisisAlert, LocalService, SafetyPlan


def safety_plan_get(*, person, viewer) -> SafetyPlan:
    """The person's safety plan; an unsaved, empty one when they have not written it yet."""
    require_and_log(viewer, person, Category.SAFETY_PLAN, Access.VIEW)
    if not is_person_in_recovery(person):  # staff accounts have no safety plan of their own
        raise Http404
    return SafetyPlan.objects.filter(person=person).first() or SafetyPlan(person=person)


# Where the person is: their own choice, else their organisation's country, else their browser's ---------

CHOSEN, ORGANISATION, BROWSER = "chosen", "organisation", "browser"


@dataclass(frozen=True)
class Country:
    code: str = ""
    known_from: str = ""  # CHOSEN, ORGANISATION, BROWSER, or "" when nothing says

    @property
    def name(self) -> str:
        return country_name(self.code) if self.code else ""


def browser_country(accept_language: str) -> str:
    """The first region in the browser's language list (e.g. en-GB) that Pathways has lines for, or ""."""
    shipped = set(shipped_countries())
    ranked = []
    for position, part in enumerate(accept_language.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = params.strip().removeprefix("q=")
        try:
            weight = float(quality) if quality else 1.0
        except ValueError:
            continue
        ranked.append((-weight, position, tag.strip()))
    for _, _, tag in sorted(ranked):
        # Language first, then script or region: "en-GB", "zh-Hant-TW", "fr-CA".
        region = next((sub.upper() for sub in tag.split("-")[1:] if len(sub) == 2 and sub.isalpha()), "")
        if region in shipped:
            return region
    return ""


def person_country(person, *, accept_language: str = "") -> Country:
    """Which country's lines to show someone. Anyone not signed in has only their browser to go on."""
    if person is not None and person.is_authenticated:
        chosen = PersonProfile.objects.filter(user=person).values_list("country", flat=True).first()
        if chosen:
            return Country(chosen, CHOSEN)
        organisation = person.home_organisation
        if organisation is not None and organisation.country:
            return Country(organisation.country, ORGANISATION)
    from_browser = browser_country(accept_language)
    return Country(from_browser, BROWSER) if from_browser else Country()


@dataclass
class CrisisLines:
    """What a person sees: the lines for their country, or, when that is unknown, every country's."""

    country: Country
    lines: list = field(default_factory=list)  # CrisisLine and the organisation's own LocalService rows
    emergency_everywhere: list[tuple[str, CrisisLine]] = field(default_factory=list)  # ("Canada, United States", 911)
    other_countries: list[tuple[str, list[CrisisLine]]] = field(default_factory=list)
    overdose_prevention: list[CrisisLine] = field(default_factory=list)



def crisis_lines_for(*, person, accept_language: str = "") -> CrisisLines:
    """Emergency number first, then the organisation's own lines in its order, then the national lines.

    With no country known, never nothing: every country's emergency number, then each country's lines.
    """
    country = person_country(person, accept_language=accept_language)
    local = list(LocalService.objects.filter(organisation_id=person.home_organisation_id)) \
        if person is not None and person.is_authenticated and person.home_organisation_id else []
    if not country.code:
        others = [(country_name(code), lines_for_country(code, kinds=("crisis", "alcohol_drugs")))
                  for code in shipped_countries()]
        return CrisisLines(country=country, lines=local, emergency_everywhere=_by_number(emergency_numbers()),
                           other_countries=others)
    return CrisisLines(
        country=country,
        lines=lines_for_country(country.code, kinds=("emergency",)) + local
        + lines_for_country(country.code, kinds=("crisis", "alcohol_drugs")),
        overdose_prevention=lines_for_country(country.code, kinds=("overdose_prevention",)))


def _by_number(lines: list[CrisisLine]) -> list[tuple[str, CrisisLine]]:
    """One entry per emergency number, naming every country that uses it."""
    grouped: dict[str, list[CrisisLine]] = {}
    for line in lines:
        grouped.setdefault(line.phone, []).append(line)
    return [(", ".join(sorted(country_name(line.country) for line in same)), same[0]) for same in grouped.values()]


def crisis_lines_by_country(*, first: str = "") -> list[tuple[str, list[CrisisLine]]]:
    """Every shipped line by country for the page anyone can open, the visitor's own country first."""
    codes = sorted(shipped_countries(), key=lambda code: (code != first, country_name(code)))
    return [(country_name(code), lines_for_country(code)) for code in codes]


# Alerts ------------------------------------------------------------------------------------------------

def crisis_alert_get(*, alert_id: int, viewer) -> CrisisAlert:
    alert = CrisisAlert.objects.filter(pk=alert_id, person_id=getattr(viewer, "pk", None)).first()
    if alert is None:
        raise Http404
    return alert


@dataclass(frozen=True)
class Telling:
    at: datetime
    just_now: bool
    names: str  # "Sam", "Sam and Lee", "Sam, Lee and Kit"; "" when nobody was told


@dataclass(frozen=True)
class ReachingOut:
    name: str
    at: datetime
    supporter_id: int


@dataclass(frozen=True)
class AlertsToday:
    """Who was told today that the person may need support, for the crisis page to say plainly, and who of
    them said they are reaching out (the page keeps that part fresh through `latest_id`)."""

    tellings: list[Telling]
    latest_id: int | None = None
    reaching_out: list[ReachingOut] = field(default_factory=list)

    @property
    def told_anyone(self) -> bool:
        return any(telling.names for telling in self.tellings)

    @property
    def told_just_now(self) -> bool:
        return any(telling.names and telling.just_now for telling in self.tellings)


def _names(people) -> str:
    names = sorted(person.display_name for person in people)
    return " and ".join(names) if len(names) < 3 else ", ".join(names[:-1]) + " and " + names[-1]


def crisis_alerts_today(*, person, viewer, since: datetime) -> AlertsToday:
    """Today's alerts (the person's own date), oldest first; those raised at or after `since` (the save being
    answered) are "just now", the rest earlier today. Only the person reads whom their alerts went to."""
    if viewer is None or viewer.pk != person.pk:
        raise Http404
    alerts = list(CrisisAlert.objects.filter(person=person, day=timezone.localdate())
                  .select_related("on_duty_told").prefetch_related("notified").order_by("raised_at", "pk"))
    return AlertsToday([Telling(at=alert.raised_at, just_now=alert.raised_at >= since, names=_names(_told(alert)))
                        for alert in alerts],
                       latest_id=alerts[-1].pk if alerts else None, reaching_out=_reaching_out(alerts))


def _told(alert: CrisisAlert) -> list:
    told = list(alert.notified.all())
    if alert.on_duty_told is not None and alert.on_duty_told not in told:
        told.append(alert.on_duty_told)
    return told


def _reaching_out(alerts: list[CrisisAlert]) -> list[ReachingOut]:
    """Who said "I'm reaching out" to any of these alerts, each once, earliest first."""
    seen, reaching = set(), []
    for response in (AlertResponse.objects.filter(alert__in=alerts).select_related("supporter")
                     .order_by("at", "pk")):
        if response.supporter_id not in seen:
            seen.add(response.supporter_id)
            reaching.append(ReachingOut(name=response.supporter.display_name, at=response.at,
                                        supporter_id=response.supporter_id))
    return reaching


def alert_reaching_out(*, alert_id: int, viewer) -> list[ReachingOut]:
    """For the person's own alert only: who is reaching out about it, or any other alert of its day."""
    alert = crisis_alert_get(alert_id=alert_id, viewer=viewer)
    return _reaching_out(list(CrisisAlert.objects.filter(person=alert.person, day=alert.day)))


# The alert, as a supporter it was sent to sees it -----------------------------------------------------

ALERT_PAGE = "a crisis alert about you"  # what the access log says was opened when a part was left out


@dataclass
class AlertForSupporter:
    alert: CrisisAlert
    person: object
    answered: bool  # the viewer already said they are reaching out
    others_reaching_out: list[ReachingOut]
    on_duty: bool  # told as the organisation's on-duty professional, not as a member of the circle
    about: Words  # how to speak of the person: their name and pronouns
    country: Country  # the person's, for reading the numbers they wrote (as `crisis.country` in _plan_sections)
    how_to_reach: str = ""  # only when the person shares it with the viewer
    plan: SafetyPlan | None = None  # only when the person shares it with the viewer


def alert_for_supporter(*, alert_id, viewer) -> AlertForSupporter:
    """The alert, for someone it was sent to while the person still lets them receive crisis alerts (404 for
    anyone else, and the moment that ends). Each part beyond the alert is shown only if the person shares it."""
    alert = CrisisAlert.objects.select_related("person").filter(public_id=alert_id).first()
    if alert is None or viewer is None or not viewer.is_authenticated:
        raise Http404
    in_circle = alert.notified.filter(pk=viewer.pk).exists()
    if not in_circle and alert.on_duty_told_id != viewer.pk:
        raise Http404  # never told of it: not even a refusal to log
    person = alert.person
    require_and_log(viewer, person, Category.CRISIS_ALERTS, Access.VIEW)
    reaching = _reaching_out([alert])
    answered = alert.responses.filter(supporter=viewer).exists()
    view = AlertForSupporter(alert=alert, person=person, answered=answered, on_duty=not in_circle,
                             others_reaching_out=[r for r in reaching if r.supporter_id != viewer.pk],
                             about=words_for(person), country=person_country(person))
    if permits_and_log(viewer, person, Category.REACH_ME, page=ALERT_PAGE):
        profile = PersonProfile.objects.filter(user=person).first()
        view.how_to_reach = profile.how_to_reach_me if profile else ""
    if permits_and_log(viewer, person, Category.SAFETY_PLAN, page=ALERT_PAGE) and is_person_in_recovery(person):
        view.plan = SafetyPlan.objects.filter(person=person).first() or SafetyPlan(person=person)
    return view


# How the person's alerts travel, on their own settings page --------------------------------------------

@dataclass
class AlertSettings:
    preference: AlertPreference
    members: list[CircleMember]  # those who receive crisis alerts, in the order they joined
    organisation_has_on_duty: bool


def alert_settings_get(*, person, viewer) -> AlertSettings:
    if viewer is None or viewer.pk != person.pk or not is_person_in_recovery(person):
        raise Http404
    organisation = person.home_organisation
    return AlertSettings(
        preference=AlertPreference.objects.filter(person=person).first() or AlertPreference(person=person),
        members=[member for member, _ in members_allowed(person=person, category=Category.CRISIS_ALERTS)],
        organisation_has_on_duty=bool(organisation and not organisation.is_personal
                                      and organisation.on_duty_professional_id))


def local_services(*, organisation) -> list[LocalService]:
    return list(LocalService.objects.filter(organisation=organisation))
