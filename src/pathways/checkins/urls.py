from django.urls import path

from . import views

app_name = "checkins"
urlpatterns = [
    path("", views.daily, name="daily"),
    path("saved/", views.saved, name="saved"),
    path("recovery/", views.recovery, name="recovery"),
    # Someone's check-ins, day by day, for a supporter they share them with.
    path("of/<uuid:person_id>/", views.shared_daily, name="shared_daily"),
]
