"""What the check-ins app holds about a person (see pathways.lib.personal_data): check-ins, questionnaire
answers, the urge log, warning signs and triggers, and the gentle notes their check-ins led to."""
from pathways.lib.personal_data import FORMER_MEMBER, holds, values

from . import models

USE_FIELDS = ("used", "what", "how_much", "not_alone", "naloxone_at_hand", "tested_supply", "doses_taken",
              "is_lapse", "what_was_happening", "what_i_learned", "reflection_shared")


def export_checkins(user) -> dict:
    uses = {u["checkin_id"]: u for u in values(models.UseLog.objects.filter(checkin__person=user), "checkin_id",
                                               *USE_FIELDS)}
    daily = []
    for checkin in values(models.DailyCheckIn.objects.filter(person=user).order_by("day"), "id", "day", "backfilled",
                          "mood", "cravings", "sleep_hours", "sleep_quality", "energy", "hungry", "angry",
                          "lonely", "tired", "connected", "self_care", "self_harm_thoughts", "note", "declined",
                          "created_at", "updated_at"):
        use = uses.get(checkin.pop("id"))
        checkin["use_log"] = {key: use[key] for key in USE_FIELDS} if use else None
        daily.append(checkin)
    return {
        "daily": daily,
        "urges": values(models.UrgeEntry.objects.filter(person=user).order_by("occurred_at", "pk"), "occurred_at",
                        "where", "strength", "what_i_did", "how_it_went", "note", "created_at"),
        "recovery": values(models.RecoveryCheckIn.objects.filter(person=user).order_by("taken_at", "pk"), "taken_at",
                           "answers", "dimension_ratings", "declined", "process_scores"),
        "questionnaire_responses": [
            {"questionnaire": {"title": r.questionnaire.title, "url": r.questionnaire.url,
                               "version": r.questionnaire.version},
             "authored_at": r.authored_at, "response": r.resource, "score": r.score}
            for r in models.QuestionnaireResponse.objects.filter(person=user).select_related("questionnaire")
            .order_by("authored_at", "pk")
        ],
    }


def export_early_warning(user) -> dict:
    setting = models.EarlyWarningSetting.objects.filter(person=user).first()
    return {
        "signs": values(models.WarningSign.objects.filter(person=user).order_by("order", "pk"), "stage", "sign",
                        "what_i_will_do", "who_i_will_contact", "watch", "created_at"),
        "triggers": values(models.Trigger.objects.filter(person=user).order_by("order", "pk"), "trigger",
                           "what_helps", "created_at"),
        "tell_supporters_which_sign": setting.share_which_sign_with_supporters if setting else False,
        "answer_hard_days": setting.answer_hard_days if setting else True,
        "alerts": values(models.GentleNote.objects.filter(person=user).order_by("fired_at", "pk"), "rule",
                         "fired_at", "explanation", "supporters_told", "sign_named_to_supporters", "seen_at"),
    }


def forget_name_in_notes_of_others(user) -> None:
    """The gentle notes of people this account supported list the supporters told, by name."""
    names = {name for name in (user.name, user.preferred_name, user.display_name) if name and len(name) >= 2}
    notes = models.GentleNote.objects.filter(person__circle__supporter=user).exclude(person=user).distinct()
    for note in notes:
        told = [FORMER_MEMBER if name in names else name for name in note.supporters_told]
        if told != note.supporters_told:
            note.supporters_told = told
            note.save(update_fields=["supporters_told"])


# Questionnaires are the organisation's instruments, not anyone's data; answers to them are.
holds("checkins", models=["checkins.DailyCheckIn", "checkins.UseLog", "checkins.RecoveryCheckIn",
                          "checkins.QuestionnaireResponse", "checkins.UrgeEntry"], export=export_checkins)
holds("early_warning", models=["checkins.WarningSign", "checkins.Trigger", "checkins.EarlyWarningSetting",
                               "checkins.GentleNote"],
      export=export_early_warning, forget=forget_name_in_notes_of_others)
# A questionnaire an organisation loaded is the programme's, not anyone's data: listed only because an
# organisation names its on-duty professional; deleting an account touches no questionnaire.
holds("organisation_questionnaires", models=["checkins.Questionnaire"])
