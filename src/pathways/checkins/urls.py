from django.urls import path

from . import views

app_name = "checkins"
urlpatterns = [
    path("", views.daily, name="daily"),
    path("saved/", views.saved, name="saved"),
    path("recovery/", views.recovery, name="recovery"),
]
