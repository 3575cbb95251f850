from django.urls import path

from . import views

app_name = "checkins"
urlpatterns = [
    path("", views.daily, name="daily"),
    path("recovery/", views.recovery, name="recovery"),
]
