"""The person's own record, under their account (names without a namespace, beside Django's account views)."""
from django.urls import path

from . import views

urlpatterns = [
    path("account/my-data/", views.my_data, name="my_data"),
    path("account/my-data/download/", views.my_data_download, name="my_data_download"),
    path("account/delete/", views.account_delete, name="account_delete"),
    path("account/deleted/", views.account_deleted, name="account_deleted"),
]
