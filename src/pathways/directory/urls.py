from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("", views.search, name="search"),
    path("manage/", views.manage, name="manage"),
    path("manage/<int:organisation_id>/", views.manage_organisation, name="manage_organisation"),
    path("manage/<int:organisation_id>/services.csv", views.export, name="export"),
    path("manage/<int:organisation_id>/import/", views.import_file, name="import"),
    path("manage/<int:organisation_id>/<uuid:service_id>/remove/", views.remove, name="remove"),
]
