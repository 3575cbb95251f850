from django.urls import path

from . import questionnaire_views as views

app_name = "questionnaires"
urlpatterns = [
    path("", views.questionnaire_list, name="list"),
    path("<int:questionnaire_id>/", views.questionnaire_fill, name="fill"),
    path("responses/<int:response_id>/", views.response_detail, name="response"),
    # What supporters see of someone who shares their measures with them.
    path("of/<uuid:person_id>/", views.shared_responses, name="shared"),
    path("organisation/<int:organisation_id>/", views.organisation_questionnaires, name="organisation"),
]
