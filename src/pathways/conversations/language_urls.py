from django.urls import path

from . import language_views

app_name = "language"
urlpatterns = [
    path("", language_views.check, name="check"),
]
