"""Everything Pathways holds about one account, for that account's own download ("my data").

`my_data(user=...)` asks every app's registered holding (pathways.lib.personal_data) for its part. Each
holding filters by the account passed in and takes no other id, so the export can only ever hold the data
of that account, which the view takes from the signed-in session. It is the person's own data, so no grant
is asked.

The shape is stable and versioned (`format.version`); a change that renames or removes a key raises the
version. Version 2: a notification no longer carries its email's delivery status. Dates and times are
ISO 8601 (times in UTC); people other than the account are named by their public id and, where still
known, their name.
"""
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from pathways.lib.personal_data import holdings

FORMAT_NAME = "pathways-my-data"
FORMAT_VERSION = 2


def my_data(*, user) -> dict:
    """Everything Pathways holds about `user`, as plain JSON-ready data (see the module's docstring)."""
    record = {"format": {"name": FORMAT_NAME, "version": FORMAT_VERSION, "exported_at": timezone.now()}}
    for holding in holdings():
        if holding.export is not None:
            record[holding.section] = holding.export(user)
    return record


def my_data_json(*, user) -> str:
    """The export as JSON text (UTF-8; every string exactly as stored)."""
    return json.dumps(my_data(user=user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
