"""What notifications hold about a person (see pathways.lib.personal_data): what they were told, and how they
want to be told. Notifications to others *about* the person (alerts to supporters) refer to them and go with
their account (Notification.about)."""
from pathways.lib.personal_data import holds

from .models import Notification, ReminderSetting


def export_notifications(user) -> dict:
    setting = ReminderSetting.objects.filter(person=user).first()
    return {
        "received": [
            {"kind": n.kind, "title": n.title, "body": n.body, "link": n.link, "created_at": n.created_at,
             "read_at": n.read_at}
            for n in Notification.objects.filter(recipient=user).order_by("created_at", "pk")
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


holds("notifications", models=["notifications.Notification", "notifications.ReminderSetting"],
      export=export_notifications)
