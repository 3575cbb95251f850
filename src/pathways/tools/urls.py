"""Tools for the hard hour, each the person's own: a cost-benefit worksheet, a wellness toolbox and daily
maintenance list, short guided exercises and an optional day counter."""
from django.urls import path

from . import views

app_name = "tools"
urlpatterns = [
    path("", views.index, name="index"),
    # The exercises hold nobody's data: open to anyone, signed in or not, like the crisis lines.
    path("exercises/urge-surfing/", views.urge_surfing, name="urge_surfing"),
    path("exercises/grounding/", views.grounding, name="grounding"),
    path("exercises/breathing/", views.breathing, name="breathing"),
    path("worksheets/", views.worksheets, name="worksheets"),
    path("worksheets/new/", views.worksheet_new, name="worksheet_new"),
    path("worksheets/<uuid:worksheet_id>/", views.worksheet, name="worksheet"),
    path("worksheets/<uuid:worksheet_id>/delete/", views.worksheet_delete, name="worksheet_delete"),
    path("toolbox/", views.toolbox, name="toolbox"),
    path("toolbox/<uuid:item_id>/", views.item_edit, name="item_edit"),
    path("toolbox/<uuid:item_id>/delete/", views.item_delete, name="item_delete"),
    path("toolbox/<uuid:item_id>/move/", views.item_move, name="item_move"),
    path("toolbox/<uuid:item_id>/tick/", views.item_tick, name="item_tick"),
    path("day-counter/", views.day_counter, name="day_counter"),
    path("day-counter/off/", views.day_counter_off, name="day_counter_off"),
]
