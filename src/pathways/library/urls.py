"""The learning library's pages."""
from django.urls import path

from . import views

app_name = "library"
urlpatterns = [
    path("", views.library, name="library"),
    path("manage/<int:organisation_id>/", views.manage, name="manage"),
    path("<slug:slug>/", views.piece, name="piece"),
]
