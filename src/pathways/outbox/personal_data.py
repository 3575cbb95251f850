"""What the outbox holds about a person (see pathways.lib.personal_data): the emails sent or waiting to be sent
to them. The download lists what each was and what became of it, never its words. Deleting the account deletes
the emails that belong to it (CASCADE) and every other email to its address (account emails, invitations)."""
from pathways.lib.personal_data import holds

from .models import OutgoingEmail
from .services import emails_forget_address


def export_emails(user) -> list[dict]:
    return list(OutgoingEmail.objects.filter(person=user).order_by("created_at", "pk")
                .values("kind", "status", "created_at", "sent_at"))


def forget_emails(user) -> None:
    if user.email:
        emails_forget_address(address=user.email)


holds("outgoing_emails", models=["outbox.OutgoingEmail"], export=export_emails, forget=forget_emails)
