"""Offer the questionnaire written for Pathways, the wellbeing snapshot, to everyone on every install."""
import json
from pathlib import Path

from django.db import migrations

SHIPPED = Path(__file__).resolve().parent.parent / "questionnaires" / "pathways-wellbeing-snapshot.json"


def load_snapshot(apps, schema_editor):
    from pathways.checkins.questionnaires import parse  # plain Python, so safe to use from a migration

    resource = json.loads(SHIPPED.read_text(encoding="utf-8"))
    definition = parse(resource)
    Questionnaire = apps.get_model("checkins", "Questionnaire")
    Questionnaire.objects.get_or_create(
        organisation=None, url=definition.url, version=definition.version,
        defaults={"title": definition.title, "resource": resource},
    )


def unload_snapshot(apps, schema_editor):
    Questionnaire = apps.get_model("checkins", "Questionnaire")
    resource = json.loads(SHIPPED.read_text(encoding="utf-8"))
    Questionnaire.objects.filter(organisation=None, url=resource["url"], version=resource["version"],
                                 responses__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("checkins", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_snapshot, unload_snapshot),
    ]
