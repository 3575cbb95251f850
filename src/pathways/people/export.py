"""Everything Pathways holds about one account, for that account's own download ("my data").

One function, `my_data(user=...)`, builds the whole export. Every query below is filtered by the
requesting account itself (`person=user`, `plan=user's plan`, `owner=user`, `person_ref=user's public
id` ...): the function takes no other id, so it can only ever export the data of the account passed in,
which the view takes from the signed-in session. It is the person's own data, so no grant is asked.

The shape is stable and versioned (`format.version`); a change that renames or removes a key raises
the version. Dates and times are ISO 8601 (times in UTC); people other than the account are named by
their public id and, where still known, their name.
"""
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from .deletion import DELETED_ACCOUNT

FORMAT_NAME = "pathways-my-data"
FORMAT_VERSION = 1


DELETED_ACCOUNT_REF = {"public_id": None, "name": DELETED_ACCOUNT}


def _values(queryset, *fields) -> list[dict]:
    return list(queryset.values(*fields))


def _person_ref(user) -> dict | None:
    if user is None:
        return None
    return {"public_id": str(user.public_id), "name": user.name or user.display_name}


def _account(user) -> dict:
    from .models import Membership

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
            {"organisation": m["organisation__name"], "role": m["role"], "since": m["created_at"]}
            for m in Membership.objects.filter(user=user).values("organisation__name", "role", "created_at")
            .order_by("created_at", "pk")
        ],
    }


def _profile(user) -> dict | None:
    from .models import PersonProfile

    profile = PersonProfile.objects.filter(user=user).first()
    if profile is None:
        return None
    return {"culture": profile.culture, "language": profile.language, "faith": profile.faith,
            "what_helps": profile.what_helps, "country": profile.country, "updated_at": profile.updated_at}


def _plan(user) -> dict | None:
    from pathways.plans.models import Goal, Plan, PlanChange, Step, Strength, Suggestion, Win

    plan = Plan.objects.filter(person=user).first()
    if plan is None:
        return None
    steps_by_goal: dict[int, list[dict]] = {}
    for step in _values(Step.objects.filter(goal__plan=plan).order_by("created_at", "pk"),
                        "goal_id", "text", "due_on", "status", "completed_at", "created_at"):
        steps_by_goal.setdefault(step.pop("goal_id"), []).append(step)
    goals = []
    for goal in _values(Goal.objects.filter(plan=plan).order_by("created_at", "pk"), "id", "dimension", "title",
                        "why_it_matters", "importance", "confidence", "status", "created_at", "updated_at"):
        goal["steps"] = steps_by_goal.get(goal.pop("id"), [])
        goals.append(goal)
    history = [
        {"at": change.at, "action": change.action, "summary": change.summary, "details": change.details,
         "by": "me" if change.actor_id == user.pk else _person_ref(change.actor)}
        for change in PlanChange.objects.filter(plan=plan).select_related("actor").order_by("at", "pk")
    ]
    suggestions = [
        {"from": {"public_id": str(s.author.public_id) if s.author else None, "name": s.author_name},
         "kind": s.kind, "goal": s.goal.title if s.goal_id else None, "dimension": s.dimension, "text": s.text,
         "why": s.why, "status": s.status, "created_at": s.created_at, "decided_at": s.decided_at}
        for s in Suggestion.objects.filter(plan=plan).select_related("author", "goal").order_by("created_at", "pk")
    ]
    return {
        "recovery_meaning": plan.recovery_meaning,
        "if_i_use_or_lapse": {"what_i_will_do": plan.lapse_what_i_will_do,
                              "who_i_will_tell": plan.lapse_who_i_will_tell},
        "created_at": plan.created_at,
        "updated_at": plan.updated_at,
        "pathways": _values(plan.pathways.order_by("started_at", "pk"), "pathway", "in_my_words", "started_at",
                            "ended_at"),
        "strengths": _values(Strength.objects.filter(plan=plan).order_by("created_at", "pk"), "kind", "text",
                             "created_at"),
        "goals": goals,
        "wins": _values(Win.objects.filter(plan=plan).order_by("occurred_on", "created_at", "pk"), "text",
                        "occurred_on", "created_at"),
        "history": history,
        "suggestions_received": suggestions,
    }


def _circle(user) -> dict:
    from pathways.circle.models import CircleInvitation, CircleMember, EmergencyAccess, Grant

    members = [
        {"public_id": str(m.public_id), "supporter": _person_ref(m.supporter) or DELETED_ACCOUNT_REF, "role": m.role,
         "relationship": m.relationship, "joined_at": m.joined_at, "removed_at": m.removed_at}
        for m in CircleMember.objects.filter(person=user).select_related("supporter").order_by("joined_at", "pk")
    ]
    grants = [
        {"public_id": str(g.public_id),
         "recipient": {"public_id": str(g.recipient.public_id) if g.recipient else None, "name": g.recipient_name},
         "shares": [{"category": i.category, "access": i.access} for i in g.items.order_by("category")],
         "purpose": g.purpose, "expires_at": g.expires_at, "expiry_event": g.expiry_event,
         "signature": g.signature, "signed_at": g.signed_at, "revoked_at": g.revoked_at,
         "revoked_because": g.revoked_because, "live": g.is_live()}
        for g in Grant.objects.filter(person=user).select_related("recipient").prefetch_related("items")
        .order_by("signed_at", "pk")
    ]
    return {
        "members": members,
        "grants": grants,
        "invitations": _values(CircleInvitation.objects.filter(person=user).order_by("created_at", "pk"), "name",
                               "email", "role", "relationship", "created_at", "expires_at", "accepted_at",
                               "withdrawn_at"),
        "emergency_accesses": [
            {"professional": _person_ref(e.professional), "reason": e.reason, "started_at": e.started_at,
             "ends_at": e.ends_at, "told_to_me_at": e.person_told_at}
            for e in EmergencyAccess.objects.filter(person=user).select_related("professional")
            .order_by("started_at", "pk")
        ],
    }


def _supporting(user) -> list[dict]:
    """The circles this account is in as a supporter, and the consents each person gave it: what was shared
    and on what terms, never the shared data itself (that is the other person's)."""
    from pathways.circle.models import CircleMember, Grant

    grants_by_member: dict[int, list[dict]] = {}
    for g in Grant.objects.filter(recipient=user).prefetch_related("items").order_by("signed_at", "pk"):
        grants_by_member.setdefault(g.member_id, []).append({
            "public_id": str(g.public_id), "shares": [{"category": i.category, "access": i.access}
                                                      for i in g.items.order_by("category")],
            "purpose": g.purpose, "expires_at": g.expires_at, "expiry_event": g.expiry_event,
            "signed_at": g.signed_at, "revoked_at": g.revoked_at, "revoked_because": g.revoked_because,
            "live": g.is_live()})
    return [
        {"person": _person_ref(m.person), "my_role": m.role, "joined_at": m.joined_at, "removed_at": m.removed_at,
         "consents_given_to_me": grants_by_member.get(m.pk, [])}
        for m in CircleMember.objects.filter(supporter=user).exclude(person=user).select_related("person")
        .order_by("joined_at", "pk")
    ]


def _checkins(user) -> dict:
    from pathways.checkins.models import DailyCheckIn, QuestionnaireResponse, RecoveryCheckIn, UseLog

    use_fields = ("used", "what", "how_much", "not_alone", "naloxone_at_hand", "tested_supply", "doses_taken",
                  "is_lapse", "what_was_happening", "what_i_learned")
    uses = {u["checkin_id"]: u for u in _values(UseLog.objects.filter(checkin__person=user), "checkin_id",
                                                *use_fields)}
    daily = []
    for checkin in _values(DailyCheckIn.objects.filter(person=user).order_by("day"), "id", "day", "backfilled",
                           "mood", "cravings", "sleep_hours", "sleep_quality", "energy", "hungry", "angry",
                           "lonely", "tired", "connected", "self_care", "self_harm_thoughts", "note", "declined",
                           "created_at", "updated_at"):
        use = uses.get(checkin.pop("id"))
        checkin["use_log"] = {key: use[key] for key in use_fields} if use else None
        daily.append(checkin)
    return {
        "daily": daily,
        "recovery": _values(RecoveryCheckIn.objects.filter(person=user).order_by("taken_at", "pk"), "taken_at",
                            "answers", "dimension_ratings", "declined", "process_scores"),
        "questionnaire_responses": [
            {"questionnaire": {"title": r.questionnaire.title, "url": r.questionnaire.url,
                               "version": r.questionnaire.version},
             "authored_at": r.authored_at, "response": r.resource, "score": r.score}
            for r in QuestionnaireResponse.objects.filter(person=user).select_related("questionnaire")
            .order_by("authored_at", "pk")
        ],
    }


def _early_warning(user) -> dict:
    from pathways.checkins.models import EarlyWarningSetting, Trigger, WarningNudge, WarningSign

    setting = EarlyWarningSetting.objects.filter(person=user).first()
    return {
        "signs": _values(WarningSign.objects.filter(person=user).order_by("order", "pk"), "stage", "sign",
                         "what_i_will_do", "who_i_will_contact", "watch", "created_at"),
        "triggers": _values(Trigger.objects.filter(person=user).order_by("order", "pk"), "trigger", "what_helps",
                            "created_at"),
        "tell_supporters_which_sign": setting.share_which_sign_with_supporters if setting else False,
        "answer_hard_days": setting.answer_hard_days if setting else True,
        "alerts": _values(WarningNudge.objects.filter(person=user).order_by("fired_at", "pk"), "rule", "fired_at",
                          "explanation", "supporters_told", "sign_named_to_supporters", "seen_at"),
    }


def _safety(user) -> dict:
    from pathways.safety.models import CrisisAlert, SafetyPlan

    plan = SafetyPlan.objects.filter(person=user).first()
    return {
        "plan": ({name: getattr(plan, name) for name in SafetyPlan.SECTIONS} | {"updated_at": plan.updated_at}
                 if plan else None),
        "crisis_alerts": [
            {"raised_at": a.raised_at, "day": a.day, "level": a.level, "source": a.source,
             "supporters_told": [_person_ref(u) for u in a.notified.order_by("pk")]}
            for a in CrisisAlert.objects.filter(person=user).prefetch_related("notified").order_by("raised_at", "pk")
        ],
    }


def _notifications(user) -> dict:
    from pathways.notifications.models import Notification, ReminderSetting

    setting = ReminderSetting.objects.filter(person=user).first()
    return {
        "received": [
            {"kind": n.kind, "title": n.title, "body": n.body, "link": n.link, "created_at": n.created_at,
             "read_at": n.read_at,
             "email": ({"status": n.email_delivery.status, "sent_at": n.email_delivery.sent_at}
                       if hasattr(n, "email_delivery") else None)}
            for n in Notification.objects.filter(recipient=user).select_related("email_delivery")
            .order_by("created_at", "pk")
        ],
        "reminder_settings": None if setting is None else {
            "checkin_reminder_on": setting.checkin_reminder_on,
            "checkin_reminder_time": setting.checkin_reminder_time,
            "early_warning_on": setting.early_warning_on,
            "email_on": setting.email_on,
            "email_muted_kinds": setting.email_muted_kinds,
            "updated_at": setting.updated_at,
        },
    }


def _access_log(user) -> list[dict]:
    """Who saw (or tried to see) what of this account's data: its own entries only."""
    from pathways.circle.models import AccessLogEntry

    from .models import User

    entries = list(AccessLogEntry.objects.filter(person_ref=str(user.public_id)).order_by("sequence"))
    known = {str(u.public_id): u.name or u.display_name
             for u in User.objects.filter(public_id__in={e.viewer_ref for e in entries})}
    return [
        {"sequence": e.sequence, "at": e.at,
         "viewer": {"public_id": e.viewer_ref, "name_then": e.viewer_name,
                    "name_now": known.get(e.viewer_ref)},  # None: that account no longer exists
         "viewer_role": e.viewer_role, "category": e.category, "action": e.action, "allowed": e.allowed,
         "grant": e.grant_ref or None, "emergency": e.emergency, "purpose": e.purpose, "from_address": e.source}
        for e in entries
    ]


def _saved_transcripts(user) -> list[dict]:
    from pathways.mi.web.models import SavedTranscript

    return [{"public_id": str(t["public_id"]), "title": t["title"], "text": t["text"], "created_at": t["created_at"]}
            for t in SavedTranscript.objects.filter(owner=user).order_by("created_at", "pk")
            .values("public_id", "title", "text", "created_at")]


def my_data(*, user) -> dict:
    """Everything Pathways holds about `user`, as plain JSON-ready data (see the module's docstring)."""
    return {
        "format": {"name": FORMAT_NAME, "version": FORMAT_VERSION, "exported_at": timezone.now()},
        "account": _account(user),
        "profile": _profile(user),
        "plan": _plan(user),
        "circle": _circle(user),
        "supporting": _supporting(user),
        "checkins": _checkins(user),
        "early_warning": _early_warning(user),
        "safety": _safety(user),
        "notifications": _notifications(user),
        "access_log": _access_log(user),
        "saved_transcripts": _saved_transcripts(user),
    }


def my_data_json(*, user) -> str:
    """The export as JSON text (UTF-8; every string exactly as stored)."""
    return json.dumps(my_data(user=user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
