"""`manage.py create_organisation NAME --admin EMAIL`: a new server's first organisation and its first admin.

On a fresh installation nobody can sign in yet to invite anyone, so the operator does the first invitation
from the server. The admin gets the same invitation email as anyone an admin invites, chooses their own
password through its link, and invites everyone else from the organisation's page.
"""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from pathways.people import services
from pathways.people.models import Role


class Command(BaseCommand):
    help = "Create an organisation and email its first admin an invitation to join."

    def add_arguments(self, parser):
        parser.add_argument("name", help="the organisation's name, as its people will see it")
        parser.add_argument("--admin", required=True, metavar="EMAIL", help="who runs it in Pathways")

    def handle(self, *args, name: str, admin: str, **options):
        try:
            with transaction.atomic():  # both or neither: no organisation left without its invitation
                organisation = services.organisation_create(name=name.strip())
                invitation, token = services.invitation_create(
                    organisation=organisation, invited_by=None, email=admin, role=Role.ADMIN,
                    base_url=settings.PATHWAYS_SITE_URL)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        link = settings.PATHWAYS_SITE_URL + reverse("people:join", args=[token])
        self.stdout.write(
            f"{organisation.name} is set up. An invitation to be its admin is on its way to {invitation.email}, "
            f"sent by the worker; the link works once, until {invitation.expires_at:%d %B %Y %H:%M} UTC.\n"
            f"If email is not working yet, give them this link in person instead:\n{link}")
