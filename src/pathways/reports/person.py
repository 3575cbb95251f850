"""A person's page for a supporter: every part the person granted them, one tap away, and nothing else.

Parts shown only as a link are decided without a log entry: the link says no more than the caseload does (what
is shared), and the page it leads to logs its own read. "About me" and "How to reach me" are shown here, so
each opening of the page logs them, like every read of a person's words.
"""
from dataclasses import dataclass, field

from django.urls import reverse

from pathways.circle.models import EmergencyAccess, Grant
from pathways.circle.policy import Access, Category, Decision, decide, log_read
from pathways.circle.selectors import live_grants_held
from pathways.conversations.note_categories import note_categories
from pathways.people.models import PersonProfile

PAGE = "your page for supporters"  # how a refusal reads in the person's access log: "opened your page for …"


@dataclass
class Part:
    label: str
    links: list[tuple[str, str]]  # (what the link opens, its address); empty when there is no page for it
    without_page: str = ""  # what it means, for a part with no page of its own


@dataclass
class AboutMe:
    pronouns: str
    culture: str
    language: str
    faith: str
    what_helps: str

    @property
    def is_empty(self) -> bool:
        return not any((self.pronouns, self.culture, self.language, self.faith, self.what_helps))


@dataclass
class PersonPage:
    person: object
    parts: list[Part] = field(default_factory=list)
    about_me: AboutMe | None = None  # None: not shared with the viewer
    reach_me: str | None = None  # None: not shared; "" when shared but not written yet
    emergency: EmergencyAccess | None = None  # set when the page is open only because of emergency access
    grants: list[Grant] = field(default_factory=list)  # the consents that let the viewer see this

    @property
    def shows_anything(self) -> bool:
        return bool(self.parts or self.about_me is not None or self.reach_me is not None)


def _links(category: Category, person_id) -> list[tuple[str, str]]:
    """Where each part is read. The use log is read with the lapses on the progress page (it needs only the
    use-log grant); the check-ins page adds each day's use when the viewer also has that grant."""
    kwargs = {"person_id": person_id}
    return {
        Category.PLAN: [("Recovery plan", reverse("plans:shared_plan", kwargs=kwargs))],
        Category.SAFETY_PLAN: [("Safety plan", reverse("safety:shared_plan", kwargs=kwargs))],
        Category.CHECKINS: [("Check-ins, day by day", reverse("checkins:shared_daily", kwargs=kwargs)),
                            ("Weekly trends", reverse("reports:shared_progress", kwargs=kwargs))],
        Category.USE_LOG: [("Lapses, and what was learned",
                            reverse("reports:shared_progress", kwargs=kwargs) + "#lapses")],
        Category.MEASURES: [("Recovery measures over time", reverse("reports:shared_progress", kwargs=kwargs)),
                            ("Questionnaire results", reverse("questionnaires:shared", kwargs=kwargs))],
        Category.EARLY_WARNING: [("Early-warning plan", reverse("warning_signs:shared_plan", kwargs=kwargs))],
        Category.NOTES: [("Notes about your conversations", reverse("notes:of_person", kwargs=kwargs))],
        # The same list: it shows the notes of every category the viewer may read.
        Category.COUNSELLING_NOTES: [("Notes about your counselling sessions",
                                      reverse("notes:of_person", kwargs=kwargs))],
        # The conversation is looked up, or begun, when the link is followed.
        Category.MESSAGES: [("Your conversation", reverse("conversations:with_person", kwargs=kwargs))],
    }.get(category, [])


# The parts shown as links, in this order. The consent names each in the person's words ("my use log");
# this page speaks to the supporter.
TITLES = {
    Category.PLAN: "Recovery plan", Category.SAFETY_PLAN: "Safety plan", Category.CHECKINS: "Daily check-ins",
    Category.USE_LOG: "Use log", Category.MEASURES: "Recovery measures", Category.EARLY_WARNING: "Early warning",
    Category.CRISIS_ALERTS: "Crisis alerts", Category.NOTES: "Notes about your sessions together",
    Category.COUNSELLING_NOTES: "Notes about counselling", Category.MESSAGES: "Messages",
}
NOTE_PARTS = (Category.NOTES, Category.COUNSELLING_NOTES)
WITHOUT_PAGE = {  # {name}: the person's name, never a guessed pronoun
    Category.CRISIS_ALERTS: "You are told straight away when {name} may need support.",
}


def _shown(viewer, person, category: Category) -> Decision:
    decision = decide(viewer, person, category, Access.VIEW)
    log_read(viewer, person, category, Access.VIEW, decision, page=PAGE)
    return decision


def _opens(category: Category, decision: Decision) -> bool:
    """Emergency access opens the record, never a private conversation: messages need the person's consent."""
    return category != Category.MESSAGES or decision.grant is not None


def person_page(*, person, viewer) -> PersonPage:
    """What the viewer may see of the person, each part asked of the policy. The caller answers 404 when the
    page `shows_anything` is false (the refusals of the two parts shown inline are logged by then)."""
    page = PersonPage(person=person)
    # Counselling notes are a part of their own only where the person's organisation keeps them apart.
    titles = [category for category in TITLES if category not in NOTE_PARTS or category in note_categories(person)]
    decisions = {category: decide(viewer, person, category, Access.VIEW) for category in titles}
    decisions[Category.ABOUT_ME] = _shown(viewer, person, Category.ABOUT_ME)
    decisions[Category.REACH_ME] = _shown(viewer, person, Category.REACH_ME)
    page.parts = [Part(label=TITLES[category], links=_links(category, person.public_id),
                       without_page=WITHOUT_PAGE.get(category, "").format(name=person.display_name))
                  for category in titles if decisions[category].allowed and _opens(category, decisions[category])]
    for category in NOTE_PARTS:
        if category in titles and decisions[category].allowed and decide(viewer, person, category, Access.WRITE).allowed:
            notes = next(part for part in page.parts if part.label == TITLES[category])
            notes.links.append(("Write a note after a conversation",
                                reverse("notes:write", kwargs={"person_id": person.public_id})))
    profile = PersonProfile.objects.filter(user=person).first() or PersonProfile(user=person)
    if decisions[Category.ABOUT_ME].allowed:
        page.about_me = AboutMe(pronouns=person.pronouns, culture=profile.culture, language=profile.language,
                                faith=profile.faith, what_helps=profile.what_helps)
    if decisions[Category.REACH_ME].allowed:
        page.reach_me = profile.how_to_reach_me
    # Emergency access opens every part at once; the page must say that is why, never claim a consent.
    page.emergency = next((d.emergency for d in decisions.values() if d.emergency is not None), None)
    page.grants = live_grants_held(viewer=viewer, person=person)
    return page
