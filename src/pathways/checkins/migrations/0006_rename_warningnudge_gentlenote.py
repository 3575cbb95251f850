"""One name for one thing: the early-warning "gentle note" (its words on the page) is now GentleNote in code too.

RenameModel renames the table (checkins_warningnudge → checkins_gentlenote) and keeps every row; the encrypted
columns are not bound to the model's name, so they open as before.
"""
from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('checkins', '0005_hard_day_answers'),
    ]

    operations = [
        migrations.RenameModel(old_name='WarningNudge', new_name='GentleNote'),
        migrations.AlterField(
            model_name='gentlenote',
            name='person',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='gentle_notes',
                                    to=settings.AUTH_USER_MODEL),
        ),
        migrations.RenameIndex(model_name='gentlenote', new_name='gentle_note_unseen', old_name='warning_nudge_unseen'),
        migrations.RenameIndex(model_name='gentlenote', new_name='gentle_note_recent', old_name='warning_nudge_recent'),
    ]
