"""Each account's clock: its own time zone, else its home organisation's, else the site's; and the zones to pick from.

One rule, written twice over the same fields: in Python for the account in a request (`time_zone_name_of`), and in
SQL for many accounts at once (`time_zone_expression`, which the reminders use), so both agree on someone's "today".
"""
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Value
from django.db.models.functions import Coalesce, NullIf

# Names the system's zone files hold that are not places: "localtime" is whatever the server runs on,
# "Factory" a placeholder that prints "-00".
NOT_PLACES = {"localtime", "Factory"}


@cache
def zone_names() -> frozenset[str]:
    """Every IANA zone this server knows. Cached: listing them reads the zone files, about 0.1 s."""
    return frozenset(available_timezones() - NOT_PLACES)


def is_time_zone(name: str) -> bool:
    return name in zone_names()


UNKNOWN_TIME_ZONE = ("“%(value)s” is not a time zone we know. Choose one from the list (for example "
                     "Europe / London), or leave it blank.")


def validate_time_zone(name: str) -> None:
    """Blank is allowed (it means "use the next one down"); anything else must be a zone we know."""
    if name and not is_time_zone(name):
        raise ValidationError(UNKNOWN_TIME_ZONE, code="invalid_choice", params={"value": name})


def zone_label(name: str) -> str:
    """'America/Argentina/Buenos_Aires' reads as 'America / Argentina / Buenos Aires'."""
    return name.replace("_", " ").replace("/", " / ")


@cache
def time_zone_choices() -> tuple[tuple[str, str], ...]:
    """Every zone, by name, for a select; the caller adds the blank choice, whose meaning depends on who asks."""
    return tuple((name, zone_label(name)) for name in sorted(zone_names()))


def _known_or_site(name: str) -> str:
    # A name no longer known (set by hand in the database, or dropped from a newer tzdata) must not break pages.
    return name if is_time_zone(name) else settings.TIME_ZONE


def organisation_time_zone_name(organisation) -> str:
    """The zone an organisation's people get when they choose none: its own, else the site's."""
    if organisation is None or not organisation.time_zone:
        return settings.TIME_ZONE
    return _known_or_site(organisation.time_zone)


def time_zone_name_of(user) -> str:
    """The account's effective zone: its own, else its home organisation's, else the site's.

    The organisation is read only when the account has no zone of its own, so most requests cost nothing.
    """
    if user.time_zone:
        return _known_or_site(user.time_zone)
    return organisation_time_zone_name(user.home_organisation if user.home_organisation_id else None)


def time_zone_of(user) -> ZoneInfo:
    return ZoneInfo(time_zone_name_of(user))


def zone_info(name: str) -> ZoneInfo:
    """The zone for a name `time_zone_expression` gave, with the same fallback as `time_zone_name_of`."""
    return ZoneInfo(_known_or_site(name))


def time_zone_expression(user_path: str = "") -> Coalesce:
    """The effective zone's name as SQL, for the account at `user_path` ("person", "recipient"; "" on User itself).

    A name no zone file has comes out as it is: read it with `zone_info`, which falls back as Python does.
    """
    prefix = f"{user_path}__" if user_path else ""
    return Coalesce(NullIf(f"{prefix}time_zone", Value("")),
                    NullIf(f"{prefix}home_organisation__time_zone", Value("")),
                    Value(settings.TIME_ZONE))
