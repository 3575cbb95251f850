# Account emails now wait in the one outbox (pathways.outbox); outbox 0002 copied the rows of the last day.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0005_organisation_country_and_time_zones'),
        ('outbox', '0002_copy_waiting_emails'),
    ]

    operations = [
        migrations.DeleteModel(
            name='AccountEmail',
        ),
    ]
