from django.urls import path

from . import views

app_name = "safety"
urlpatterns = [
    path("", views.safety_plan, name="plan"),
    path("edit/", views.safety_plan_edit, name="edit"),
    path("print/", views.safety_plan_print, name="print"),
    path("now/<int:alert_id>/", views.support_now, name="support_now"),
    path("now/<int:alert_id>/reaching-out/", views.alert_responses, name="alert_responses"),
    path("alerts/<uuid:alert_id>/", views.alert, name="alert"),
    path("alerts/<uuid:alert_id>/reaching-out/", views.alert_answer, name="alert_answer"),
    path("alert-settings/", views.alert_settings, name="alert_settings"),
    path("of/<uuid:person_id>/", views.shared_safety_plan, name="shared_plan"),
    path("crisis-lines/", views.crisis_lines, name="crisis_lines"),
    path("organisation/<int:organisation_id>/services/", views.local_services, name="local_services"),
    path("organisation/<int:organisation_id>/services/<int:line_id>/remove/", views.local_service_remove,
         name="local_service_remove"),
    path("organisation/<int:organisation_id>/services/<int:line_id>/move/", views.local_service_move,
         name="local_service_move"),
]
