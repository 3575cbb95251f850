# Notification emails now wait in the one outbox (pathways.outbox); outbox 0002 copied the waiting ones.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0003_notification_about'),
        ('outbox', '0002_copy_waiting_emails'),
    ]

    operations = [
        migrations.DeleteModel(
            name='EmailDelivery',
        ),
    ]
