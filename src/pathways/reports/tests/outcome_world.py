"""A small programme built straight into the database for the outcomes tests: people who joined in chosen months,
counted or not, with the daily and recovery check-ins a test gives them."""
from datetime import date, datetime, time

from django.utils import timezone

from pathways.checkins.models import DailyCheckIn, RecoveryCheckIn
from pathways.people.models import Membership, Organisation, Role, User
from pathways.people.services import organisation_create
from pathways.plans.models import Dimension


def months_ago(months: int) -> date:
    """The first day of the month `months` before this one (0: this month), so tests follow the clock."""
    index = timezone.localdate().year * 12 + timezone.localdate().month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def moment(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def programme_since(month: date, *, name: str = "Harbour Lights Programme", by_default: bool = False) -> Organisation:
    organisation = organisation_create(name=name)
    Organisation.objects.filter(pk=organisation.pk).update(created_at=moment(month), statistics_by_default=by_default)
    organisation.refresh_from_db()
    return organisation


def people_join(organisation: Organisation, *, on: date, count: int, consent: bool | None = True,
                prefix: str = "person") -> list[User]:
    start = User.objects.filter(home_organisation=organisation).count()
    people = [User.objects.create_user(email=f"{prefix}{start + n}.{organisation.pk}@example.org",
                                       home_organisation=organisation) for n in range(count)]
    Membership.objects.bulk_create([Membership(organisation=organisation, user=person, role=Role.PERSON,
                                               created_at=moment(on), statistics_consent=consent)
                                    for person in people])
    return people


def check_in(people: list[User], *days: date) -> None:
    DailyCheckIn.objects.bulk_create([DailyCheckIn(person=person, day=day, mood=3) for person in people for day in days])


def rate_health(people: list[User], day: date, rating: int) -> None:
    """A recovery check-in rating every part of life the same."""
    RecoveryCheckIn.objects.bulk_create([
        RecoveryCheckIn(person=person, taken_at=moment(day), dimension_ratings={d.value: rating for d in Dimension})
        for person in people])
