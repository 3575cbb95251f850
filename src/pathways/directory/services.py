"""Every write to the directory: an organisation's import, all or nothing, and removing one service."""
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .csv_files import Problem, read_services_csv
from .models import Service


class ImportRefused(Exception):
    """The file had problems, so nothing in it was loaded; each problem names its line."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the file")
        self.problems = problems


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int


def services_import(*, organisation, data: bytes) -> ImportResult:
    """Load a CSV file into the organisation's directory, adding services and updating those of the same name
    (in any case). Services the file does not name are kept: people may have saved them to their plans.
    One problem anywhere refuses the whole file."""
    read = read_services_csv(data)
    if read.problems:
        raise ImportRefused(read.problems)
    return _load(organisation=organisation, rows=read.rows)


@transaction.atomic
def _load(*, organisation, rows: list[dict]) -> ImportResult:
    existing = {service.name.lower(): service for service in Service.objects.select_for_update()
                .filter(organisation=organisation)}
    added = updated = 0
    now = timezone.now()
    for fields in rows:
        service = existing.get(fields["name"].lower())
        if service is None:
            service, added = Service(organisation=organisation), added + 1
        elif _same(service, fields):
            continue
        else:
            updated += 1
        for name, value in fields.items():
            setattr(service, name, value)
        service.updated_at = now
        service.full_clean()
        service.save()
    return ImportResult(added=added, updated=updated)


def _same(service: Service, fields: dict) -> bool:
    return all(getattr(service, name) == value for name, value in fields.items())


@transaction.atomic
def service_remove(*, service: Service) -> None:
    service.delete()
