from django.urls import path

from . import views

app_name = "signins"
urlpatterns = [
    path("", views.sessions, name="sessions"),
    path("<uuid:session_id>/end/", views.session_end, name="end"),
    path("end-others/", views.sessions_end_others, name="end_others"),
]
