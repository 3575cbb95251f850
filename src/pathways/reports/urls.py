from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("progress/", views.my_progress, name="progress"),
    path("progress/numbers/", views.my_numbers, name="numbers"),
    path("<uuid:person_id>/", views.person_overview, name="person"),
    path("<uuid:person_id>/progress/", views.shared_progress, name="shared_progress"),
    path("<uuid:person_id>/progress/numbers/", views.shared_numbers, name="shared_numbers"),
]
