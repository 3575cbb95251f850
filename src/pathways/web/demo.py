"""Fictional demo data: one programme, its staff, and three people at different points of recovery.

Every name and every word here was made up for Pathways; any likeness to real people is chance.
"""
import random
from base64 import b32encode
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from pathways.checkins import services as checkin_services
from pathways.checkins.models import DailyCheckIn, RecoveryCheckIn
from pathways.checkins.recovery_items import ITEM_IDS
from pathways.circle import services as circle_services
from pathways.circle.models import Access, AlertPreference, Category, CircleMember, SupporterRole
from pathways.circle.telling import alert_preference_update
from pathways.conversations.models import NoteKind
from pathways.conversations.note_services import note_write
from pathways.conversations.services import conversation_for, message_send
from pathways.directory.services import services_import
from pathways.people.models import Membership, Organisation, PersonProfile, Role, User
from pathways.people.services import account_create, organisation_settings_update
from pathways.plans import services as plan_services
from pathways.plans.models import Dimension, GoalStatus, Pathway, Plan, StrengthKind
from pathways.safety import services as safety_services
from pathways.safety.models import RiskLevel
from pathways.verification import devices

from .demo_programme import load_programme

DEMO_ORGANISATION = "Riverbend Recovery Collective (demo)"
DEMO_PASSWORD = "riverbend-demo-2026"

# Demo staff must sign in with two steps like real staff. So that anyone can try the demo without setting up
# a phone, all three share this published authenticator key (load_demo prints it, with recovery codes). It
# opens only fictional demo accounts; a real deployment never has it.
DEMO_AUTHENTICATOR_KEY = "98450b1436d4a2a5cb5f7574a4c91ed54ff68622"
DEMO_RECOVERY_CODES_SHOWN = 3

# A family ally: not staff, so no authenticator. Pat shares only her plan and safety plan with her sister, and
# for that two-step sign-in is Dee's choice (verification/requirement.py); staff show the other side.
ALLY = ("dee@demo.pathways.invalid", "Dee Demo", "Dee", "she/her")

# The programme's directory, as an admin would import it (fictional services; 555-01xx numbers are never real).
DEMO_SERVICES_CSV = """name,category,dimensions,description,languages,cost,online,phone,website,area,tradition
Riverbend Housing Help,housing,home,Help finding a room or flat and keeping it.,"English, Spanish",free,no,555-0141,https://housing.demo.pathways.invalid,Riverside district,
Second Chance Jobs Club,work_and_training,purpose,"CV help, interview practice and a weekly jobs list.",English,free,yes,555-0142,,Library annexe,
Thursday SMART Meeting,mutual_aid,community; health,A friendly weekly SMART Recovery meeting.,English,free,no,,,Church hall on Elm Street,SMART Recovery
Evening 12-Step Group,mutual_aid,community,An open meeting every evening at 7.,"English, Spanish",free,yes,,,the Oak Street centre,12-step
Riverbend Naloxone Point,naloxone_and_harm_reduction,health,Free naloxone kits and a short how-to; no questions asked.,English,free,no,555-0143,,Market Square clinic,
Money Matters Advice,benefits_and_money,home; purpose,"Benefits checks, debts and budgeting, one to one.",English,free,yes,555-0144,,,
"""

STAFF = [
    ("ada@demo.pathways.invalid", "Ada Demo", "Ada", "she/her", Role.ADMIN),
    ("sam@demo.pathways.invalid", "Sam Demo", "Sam", "they/them", Role.PEER_SUPPORTER),
    ("lee@demo.pathways.invalid", "Lee Demo", "Lee", "he/him", Role.PROFESSIONAL),
]

PEOPLE = [
    {
        "email": "pat@demo.pathways.invalid", "name": "Pat Demo", "preferred": "Pat", "pronouns": "she/her",
        "meaning": "Waking up with a clear head and being someone my kids can count on.",
        "pathways": {Pathway.ABSTINENCE: "", Pathway.MUTUAL_AID_12_STEP: "Tuesday and Friday meetings"},
        "culture": "Grew up in a big family that cooks together on Sundays.",
        "what_helps": "A walk before I talk about hard things.",
        "how_to_reach_me": "Text me first. If I have not answered in ten minutes, call, and keep trying.",
        # A hard day today: what a supporter she shares check-ins with sees first.
        "today": {"mood": 2, "cravings": 9, "sleep_hours": 4, "sleep_quality": 1, "lonely": "yes",
                  "tired": "yes", "connected": "no", "self_harm_thoughts": "some"},
        "strengths": [(StrengthKind.MINE, "I keep going when things get hard"),
                      (StrengthKind.FAMILY, "My sister checks in every week")],
        "goals": [
            (Dimension.HEALTH, "Sleep seven hours most nights", "I am kinder to everyone when I have slept.", 8, 5,
             ["Phone stays in the kitchen after 10pm", "Try the breathing exercise twice this week"]),
            (Dimension.HOME, "Make the flat feel like mine", "A calm place to come back to.", 6, 7,
             ["Put up the photos from the drawer"]),
            (Dimension.PURPOSE, "Finish the bookkeeping course", "I want work I am proud of.", 9, 6,
             ["Do module 3 on Saturday morning"]),
            (Dimension.COMMUNITY, "Keep my Friday meeting", "People there get it.", 9, 8, ["Ask Jo for a lift"]),
        ],
        "done_steps": 2, "wins": ["Told my sister how I really felt", "Cooked dinner for the kids"],
        "days_ago": 120,
        # Signs tied to check-in patterns, so a hard week is noticed; a plan for after a lapse; a safety plan
        # whose numbers become tap-to-call links. The numbers are in ranges set aside for fiction.
        "signs": [("emotional", "Lying awake going over things", "Phone stays in the kitchen; breathing exercise",
                   "My sister Dee", "sleep_below_usual"),
                  ("emotional", "Keeping to myself after work", "Go to the Friday meeting even if I'm tired",
                   "Jo from the meeting", "lonely_most_days"),
                  ("mental", "The urge creeping up in the evenings", "Text Sam before I do anything",
                   "Sam (peer supporter)", "cravings_rising")],
        "lapse_plan": ("Tell myself this is one day, not the whole story\nEat something and get some sleep\n"
                       "Go to Tuesday's meeting", "My sister Dee (312) 555-0148\nSam, my peer supporter"),
        "safety_plan": {"warning_signs": "Not sleeping\nSkipping meals\nFeeling like a burden",
                        "coping_on_my_own": "Walk round the block\nHot shower\nThe breathing exercise",
                        "people_to_ask": "My sister Dee (312) 555-0148\nJo from the meeting (312) 555-0193",
                        "professionals": "Riverbend duty line (312) 555-0110\nCall 988 any time",
                        "reasons_for_living": "My kids\nSunday dinners"},
    },
    {
        "email": "jo@demo.pathways.invalid", "name": "Jo Demo", "preferred": "Jo", "pronouns": "he/him",
        "meaning": "Staying alive and a little bit better each month. Being safe first.",
        "pathways": {Pathway.HARM_REDUCTION: "", Pathway.MEDICATION: "Daily dose at the clinic"},
        "culture": "", "what_helps": "Texts work better than calls for me.",
        "strengths": [(StrengthKind.MINE, "Good with my hands"), (StrengthKind.COMMUNITY, "The drop-in centre staff")],
        "goals": [
            (Dimension.HEALTH, "Never use alone", "My friend Ray died alone.", 10, 6,
             ["Keep naloxone in my jacket", "Save the spotting line number in my phone"]),
            (Dimension.HOME, "Get on the housing list", "", 8, 4, ["Bring ID to the housing office"]),
            (Dimension.PURPOSE, "Fix bikes at the community workshop", "", 6, 7, []),
            (Dimension.COMMUNITY, "Go to the drop-in lunch on Wednesdays", "", 5, 8, []),
        ],
        "done_steps": 1, "wins": ["Picked up my prescription on time all week"],
        "days_ago": 30,
    },
    {
        "email": "rue@demo.pathways.invalid", "name": "Rue Demo", "preferred": "Rue", "pronouns": "they/them",
        "meaning": "Drinking in a way that fits the life I want, not the other way round.",
        "pathways": {Pathway.MODERATION: "No more than two drinks, never on work nights",
                     Pathway.MUTUAL_AID_SMART: ""},
        "culture": "Welsh speaker; chapel on holidays.", "what_helps": "Plans written down.",
        "strengths": [(StrengthKind.MINE, "Curious and honest with myself")],
        "goals": [
            (Dimension.HEALTH, "Alcohol-free weekdays", "Mornings feel better.", 7, 7, ["Buy alcohol-free beer"]),
            (Dimension.PURPOSE, "Start the pottery class", "", 5, 9, ["Book a taster session"]),
        ],
        "done_steps": 1, "wins": [],
        "days_ago": 400,
    },
]


def demo_exists() -> bool:
    return Organisation.objects.filter(name=DEMO_ORGANISATION).exists()


def _account(organisation, email, name, preferred, pronouns) -> User:
    return account_create(email=email, password=DEMO_PASSWORD, name=name, preferred_name=preferred,
                          pronouns=pronouns, home_organisation=organisation)


@transaction.atomic
def load_demo() -> Organisation:
    organisation = Organisation.objects.create(name=DEMO_ORGANISATION, country="US", time_zone="America/Chicago")
    staff = {}
    for email, name, preferred, pronouns, role in STAFF:
        staff[preferred] = _account(organisation, email, name, preferred, pronouns)
        Membership.objects.create(organisation=organisation, user=staff[preferred], role=role)
        _demo_authenticator(staff[preferred])
    people = {person["preferred"]: _load_person(organisation, person) for person in PEOPLE}
    # Pat shares with Sam (who may suggest changes to her plan) everything a peer supporter answering an alert
    # needs, and asks to have Sam told in a crisis; Jo lets Lee see his plan and safety plan.
    for person, supporter, items in [
        (people["Pat"], staff["Sam"], {Category.PLAN: Access.SUGGEST, Category.SAFETY_PLAN: Access.VIEW,
                                       Category.CHECKINS: Access.VIEW, Category.REACH_ME: Access.VIEW,
                                       Category.CRISIS_ALERTS: Access.VIEW, Category.MESSAGES: Access.WRITE,
                                       Category.NOTES: Access.WRITE}),
        (people["Jo"], staff["Lee"], {Category.PLAN: Access.VIEW, Category.SAFETY_PLAN: Access.VIEW}),
    ]:
        member = circle_services.staff_add(person=person, staff=supporter)
        _share(member, items)
    _share(_ally_of(people["Pat"]), {Category.PLAN: Access.VIEW, Category.SAFETY_PLAN: Access.VIEW})
    _talk(people["Pat"], staff["Sam"])
    # Lee is on duty, and Pat lets Lee be told if nobody in her circle answers her alert in time. Her hard day
    # raised one: Sam sees it first in "People I support", and the worker tells Lee if Sam does not answer.
    organisation_settings_update(organisation=organisation, country=organisation.country,
                                 time_zone=organisation.time_zone, on_duty_professional=staff["Lee"].pk)
    alert_preference_update(person=people["Pat"], wait_minutes=AlertPreference.DEFAULT_WAIT_MINUTES,
                            on_duty_allowed=True)
    safety_services.crisis_alert_raise(person=people["Pat"], level=RiskLevel.SOME)
    services_import(organisation=organisation, data=DEMO_SERVICES_CSV.encode())
    load_programme(organisation)  # sixty more people, known by number, so the outcomes report has figures
    return organisation


def _talk(person: User, supporter: User) -> None:
    """A short conversation between Pat and Sam, and the note Sam wrote after their last call."""
    conversation = conversation_for(CircleMember.objects.get(person=person, supporter=supporter,
                                                             removed_at__isnull=True))
    for author, text in [
        (supporter, "Good to see you at the drop-in on Tuesday. How did the first week of the course go?"),
        (person, "Harder than I thought, but I did module 2. Sleep is the thing, honestly."),
        (supporter, "Module 2 is a real step. Want to talk about sleep on Thursday's call?"),
        (person, "Yes please. After 6 is best."),
    ]:
        message_send(conversation=conversation, author=author, text=text)
    note_write(person=person, author=supporter, happened_on=timezone.localdate() - timedelta(days=3),
               kind=NoteKind.PHONE,
               talked_about="Sleep since the course started, and how evenings feel longer without the kids.",
               person_wants_next="To keep the Friday meeting and have a calmer bedtime.",
               next_steps="Ask Jo for a lift on Friday\nTry the breathing exercise before bed")


def _share(member, items) -> None:
    circle_services.grant_create(member=member, items=items, purpose="To support me in my recovery",
                                 signature=member.person.name)


def _ally_of(person: User):
    """Pat's sister joins her circle the way any family member does: by the link Pat gives her."""
    email, name, preferred, pronouns = ALLY
    _, token = circle_services.invitation_create(person=person, role=SupporterRole.ALLY, name=preferred,
                                                 relationship="my sister")
    ally = circle_services.invitation_accept_new_account(token=token, email=email, password=DEMO_PASSWORD, name=name,
                                                         preferred_name=preferred, pronouns=pronouns)
    return CircleMember.objects.get(person=person, supporter=ally, removed_at__isnull=True)


def _load_person(organisation, data) -> User:
    user = _account(organisation, data["email"], data["name"], data["preferred"], data["pronouns"])
    Membership.objects.create(organisation=organisation, user=user, role=Role.PERSON)
    PersonProfile.objects.create(user=user, culture=data["culture"], what_helps=data["what_helps"],
                                 how_to_reach_me=data.get("how_to_reach_me", ""))
    plan = plan_services.plan_create(person=user)
    Plan.objects.filter(pk=plan.pk).update(created_at=timezone.now() - timedelta(days=data["days_ago"]))
    plan_services.recovery_meaning_update(plan=plan, actor=user, text=data["meaning"])
    plan_services.pathways_set(plan=plan, actor=user, chosen=dict(data["pathways"]))
    for kind, text in data["strengths"]:
        plan_services.strength_add(plan=plan, actor=user, kind=kind, text=text)
    steps = []
    for dimension, title, why, importance, confidence, first_steps in data["goals"]:
        goal = plan_services.goal_create(plan=plan, actor=user, dimension=dimension, title=title, why_it_matters=why,
                                         importance=importance, confidence=confidence, first_steps=first_steps)
        steps.extend(goal.steps.all())
    for step in steps[: data["done_steps"]]:
        plan_services.step_complete(step=step, actor=user)
    for text in data["wins"]:
        plan_services.win_add(plan=plan, actor=user, text=text)
    if data["days_ago"] > 300:
        first_goal = plan.goals.first()
        plan_services.goal_set_status(goal=first_goal, actor=user, status=GoalStatus.ACHIEVED)
    for stage, sign, what, who, watch in data.get("signs", []):
        checkin_services.warning_sign_add(person=user, stage=stage, sign=sign, what_i_will_do=what,
                                          who_i_will_contact=who, watch=watch)
    if "lapse_plan" in data:
        what, who = data["lapse_plan"]
        plan_services.lapse_plan_update(plan=plan, actor=user, what_i_will_do=what, who_i_will_tell=who)
    if "safety_plan" in data:
        safety_services.safety_plan_save(person=user, **data["safety_plan"])
    _load_checkins(user, days=min(data["days_ago"], 90))
    if "today" in data:
        DailyCheckIn.objects.create(person=user, day=timezone.localdate(), **data["today"])
    return user


def _load_checkins(person: User, *, days: int) -> None:
    """A made-up but plausible history: mood and sleep slowly improving, cravings easing, with bad weeks."""
    rng = random.Random(person.email)
    today = timezone.localdate()
    rows = []
    for n in range(days, 0, -1):
        if rng.random() < 0.2:
            continue  # people miss days, and that is fine
        progress = 1 - n / days
        rows.append(DailyCheckIn(
            person=person, day=today - timedelta(days=n),
            mood=max(1, min(5, round(2 + 2 * progress + rng.uniform(-1, 1)))),
            cravings=max(0, min(10, round(7 - 4 * progress + rng.uniform(-2, 2)))),
            sleep_hours=max(3, min(12, round(5 + 2 * progress + rng.uniform(-1.5, 1.5)))),
            lonely=rng.choice(["yes", "no", "no"]), connected=rng.choice(["yes", "yes", "no"])))
    DailyCheckIn.objects.bulk_create(rows)
    for months_ago, level in ((days // 30, 1), (0, 3)):
        checkin = checkin_services.recovery_checkin_record(
            person=person, answers={item: min(4, level + rng.randint(0, 1)) for item in ITEM_IDS},
            dimension_ratings={d.value: min(10, 2 * level + rng.randint(0, 3)) for d in Dimension})
        RecoveryCheckIn.objects.filter(pk=checkin.pk).update(taken_at=timezone.now() - timedelta(days=30 * months_ago))


def _demo_authenticator(user: User) -> None:
    """The shared demo key, unless the account has an app of its own (or a demo loaded before this existed)."""
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(user=user, name=devices.APP_NAME, key=DEMO_AUTHENTICATOR_KEY, confirmed=True)


def demo_authenticator_secret() -> str:
    """The demo staff's key as authenticator apps take it typed in (base32, in groups of four)."""
    secret = b32encode(bytes.fromhex(DEMO_AUTHENTICATOR_KEY)).decode()
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def demo_recovery_codes() -> list[tuple[str, list[str]]]:
    """Fresh recovery codes for each demo staff account (the earlier ones stop working), a few of each shown."""
    shown = []
    for email, *_ in STAFF:
        user = User.objects.filter(email=email).first()
        if user is not None:
            _demo_authenticator(user)
            shown.append((email, devices.recovery_codes_replace(user=user)[:DEMO_RECOVERY_CODES_SHOWN]))
    return shown


def demo_accounts() -> list[tuple[str, str]]:
    return ([(email, role.label) for email, _, _, _, role in STAFF] + [(p["email"], "person") for p in PEOPLE]
            + [(ALLY[0], "ally (family), two-step sign-in optional")])
