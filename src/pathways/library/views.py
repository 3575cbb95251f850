"""Library pages: the list, one piece, and an organisation admin's choice of which shipped pieces to show."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from pathways.lib.redirects import path_on_this_site
from pathways.people.selectors import organisation_for_admin

from . import selectors, services
from .forms import VisibilityForm
from .models import Audience, Dimension


@login_required
def library(request: HttpRequest) -> HttpResponse:
    """Every piece for this reader, narrowed to one audience or one dimension when they choose."""
    pieces = selectors.pieces_for(organisation=selectors.organisation_of(request.user))
    audience = request.GET.get("audience") if request.GET.get("audience") in Audience.values else ""
    dimension = request.GET.get("dimension") if request.GET.get("dimension") in Dimension.values else ""
    shown = [piece for piece in pieces
             if (not audience or audience in piece.audience) and (not dimension or dimension in piece.dimensions)]
    return render(request, "library/library.html", {
        "pieces": shown, "audience": audience, "dimension": dimension,
        "audiences": Audience.choices, "dimensions": Dimension.choices,
        "chosen": Audience(audience).label if audience else Dimension(dimension).label if dimension else "",
    })


@login_required
def piece(request: HttpRequest, slug: str) -> HttpResponse:
    found = selectors.piece_get(slug=slug, organisation=selectors.organisation_of(request.user))
    came_from = path_on_this_site(request, request.GET.get("from"))
    context = {"piece": found, "back": came_from or reverse("library:library"), "back_to_library": not came_from}
    if found.content_note:
        context["quick_exit"] = True  # a piece that mentions something hard is a sensitive page
    return render(request, "library/piece.html", context)


@login_required
def manage(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """GET: the organisation's pieces, each with Hide or Show. POST: hide or show one."""
    organisation = organisation_for_admin(organisation_id=organisation_id, viewer=request.user)
    if request.method == "POST":
        form = VisibilityForm(request.POST)
        if not form.is_valid():
            messages.error(request, "That is not a piece of the library; nothing was changed.")
            return redirect("library:manage", organisation_id=organisation.pk)
        hidden = form.cleaned_data["action"] == "hide"
        services.piece_visibility_set(organisation=organisation, slug=form.cleaned_data["slug"], hidden=hidden)
        messages.success(request, "Hidden from your people." if hidden else "Shown to your people again.")
        return redirect("library:manage", organisation_id=organisation.pk)
    return render(request, "library/manage.html", {
        "organisation": organisation, "pieces": selectors.pieces_to_manage(organisation=organisation)})
