"""Every read of the directory. A viewer sees the services of the organisations they belong to, and no others."""
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from pathways.people.models import Membership, Organisation

from .models import DIMENSIONS, Service


def _organisations_of(viewer) -> QuerySet:
    """The organisations the viewer belongs to now, in any role (an ended membership opens nothing)."""
    return Membership.objects.filter(user=viewer, deactivated_at__isnull=True).values("organisation_id")


def services_of_viewer(viewer) -> QuerySet:
    return Service.objects.filter(organisation__in=_organisations_of(viewer))


@dataclass(frozen=True)
class Search:
    """What the person asked for; empty means "any"."""

    text: str = ""
    dimension: str = ""
    category: str = ""
    cost: str = ""
    online: str = ""  # "online", "in_person" or ""
    language: str = ""


def service_search(*, viewer, search: Search) -> list[Service]:
    """The viewer's organisations' services that match every part of the search."""
    services = services_of_viewer(viewer)
    for word in search.text.split():
        services = services.filter(Q(name__icontains=word) | Q(description__icontains=word)
                                   | Q(area__icontains=word) | Q(tradition__icontains=word)
                                   | Q(languages__icontains=word))
    if search.dimension in DIMENSIONS:
        services = services.filter(**{f"serves_{search.dimension}": True})
    if search.category:
        services = services.filter(category=search.category)
    if search.cost:
        services = services.filter(cost=search.cost)
    if search.online:
        services = services.filter(online=search.online == "online")
    if search.language:
        services = services.filter(languages__icontains=search.language)
    return list(services.order_by("name", "pk"))


def languages_offered(*, viewer) -> list[str]:
    """Every language the viewer's directory names, for the language filter."""
    found = {}
    for cell in services_of_viewer(viewer).exclude(languages="").values_list("languages", flat=True):
        for language in cell.split(","):
            if language.strip():
                found.setdefault(language.strip().casefold(), language.strip())
    return sorted(found.values(), key=str.casefold)


def service_counts_by_dimension(*, viewer) -> dict[str, int]:
    """How many services the viewer's directory has for each dimension, in one query."""
    counts = services_of_viewer(viewer).aggregate(
        **{code: Count("pk", filter=Q(**{f"serves_{code}": True})) for code in DIMENSIONS})
    return {code: counts[code] or 0 for code in DIMENSIONS}


def service_get(*, public_id, viewer) -> Service:
    """A service of one of the viewer's organisations; 404 for anyone else's, as if it did not exist."""
    service = services_of_viewer(viewer).filter(public_id=public_id).select_related("organisation").first()
    if service is None:
        raise Http404
    return service


def services_of_organisation(*, organisation: Organisation) -> list[Service]:
    """The whole directory, as its admin manages and exports it (the caller checks the admin)."""
    return list(Service.objects.filter(organisation=organisation).order_by("name", "pk"))


def service_of_organisation(*, organisation: Organisation, public_id) -> Service:
    service = Service.objects.filter(organisation=organisation, public_id=public_id).first()
    if service is None:
        raise Http404
    return service
