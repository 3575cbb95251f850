from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.plan, name="plan"),
    path("meaning/", views.meaning_edit, name="meaning"),
    path("if-i-lapse/", views.lapse_plan_edit, name="lapse_plan"),
    path("pathways/", views.pathways_edit, name="pathways"),
    path("strengths/new/", views.strength_add, name="strength_add"),
    path("strengths/<int:strength_id>/remove/", views.strength_remove, name="strength_remove"),
    path("goals/new/", views.goal_add, name="goal_add"),
    path("goals/<int:goal_id>/", views.goal_detail, name="goal"),
    path("goals/<int:goal_id>/edit/", views.goal_edit, name="goal_edit"),
    path("goals/<int:goal_id>/status/", views.goal_status, name="goal_status"),
    path("goals/<int:goal_id>/steps/new/", views.step_add, name="step_add"),
    path("steps/<int:step_id>/edit/", views.step_edit, name="step_edit"),
    path("steps/<int:step_id>/", views.step_action, name="step_action"),
    path("wins/", views.wins, name="wins"),
    path("history/", views.history, name="history"),
    # Services from the organisation's directory, kept in the plan.
    path("services/<uuid:service_id>/save/", views.service_save, name="service_save"),
    path("services/<uuid:service_id>/remove/", views.service_remove, name="service_remove"),
    path("suggestions/<int:suggestion_id>/", views.suggestion_answer, name="suggestion"),
    # What supporters see of someone who shares their plan with them.
    path("of/<uuid:person_id>/", views.shared_plan, name="shared_plan"),
    path("of/<uuid:person_id>/suggest/goal/", views.suggest, {"kind": "goal"}, name="suggest_goal"),
    path("of/<uuid:person_id>/suggest/step/", views.suggest, {"kind": "step"}, name="suggest_step"),
]
