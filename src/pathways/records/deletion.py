"""Deleting an account and everything about the person, in one transaction.

Every app's holding (pathways.lib.personal_data) first clears what *other* people's records say about the
account; then the account row goes, and the person's own rows go with it by CASCADE.

What stays: the access log. The law asks for it to be kept, and it already names people only by public
id, so once the account row is gone nothing maps the id back to a name or an address. (Entries where
this person was the *viewer* of someone else's record keep the viewer name written at the time: they
are the other person's accounting of who saw their data, and the hash chain forbids changing them.)
"""
from django.db import transaction

from pathways.lib.personal_data import holdings
from pathways.people.models import User
from pathways.people.selectors import organisations_only_admin_of


class AccountDeletionRefused(Exception):
    """The account cannot be deleted yet; the message says why and what to do."""


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete the account and all the person's data; keep the access log, now linked to no one.

    Refuses (AccountDeletionRefused) while the account is an organisation's only admin.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    sole = organisations_only_admin_of(user=user)
    if sole:
        raise AccountDeletionRefused(
            "You are the only admin of " + ", ".join(org.name for org in sole) + ". Invite another admin "
            "from the organisation's page first, so the programme is not left without one; then you can "
            "delete your account.")
    for holding in holdings():
        if holding.forget is not None:
            holding.forget(user)
    home = user.home_organisation
    # Grants held and places in other people's circles stay theirs, ended (circle's pre_delete receiver).
    user.delete()
    if home is not None and home.is_personal and not home.members.exists() and not home.memberships.exists():
        home.delete()
