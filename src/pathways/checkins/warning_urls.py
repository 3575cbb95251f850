from django.urls import path

from . import warning_views as views

app_name = "warning_signs"
urlpatterns = [
    path("", views.plan, name="plan"),
    path("signs/add/", views.sign_add, name="sign_add"),
    path("signs/add-example/", views.sign_add_example, name="sign_add_example"),
    path("signs/<int:sign_id>/", views.sign_edit, name="sign_edit"),
    path("signs/<int:sign_id>/remove/", views.sign_remove, name="sign_remove"),
    path("triggers/add/", views.trigger_add, name="trigger_add"),
    path("triggers/add-example/", views.trigger_add_example, name="trigger_add_example"),
    path("triggers/<int:trigger_id>/", views.trigger_edit, name="trigger_edit"),
    path("triggers/<int:trigger_id>/remove/", views.trigger_remove, name="trigger_remove"),
    path("watch/<slug:rule>/", views.watch_set, name="watch_set"),
    path("watch/<slug:rule>/stop/", views.watch_stop, name="watch_stop"),
    path("sharing/", views.sharing, name="sharing"),
    path("hard-days/", views.hard_days, name="hard_days"),
    path("notes/<int:note_id>/", views.note, name="note"),
    path("notes/<int:note_id>/not-now/", views.note_not_now, name="note_not_now"),
    # What a supporter with the early-warning grant reads of someone's plan.
    path("of/<uuid:person_id>/", views.shared_plan, name="shared_plan"),
]
