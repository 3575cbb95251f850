"""The person's own record, under their account (names without a namespace, beside Django's account views)."""
from django.urls import path

from . import views

urlpatterns = [
    path("account/my-data/", views.my_data, name="my_data"),
    path("account/my-data/download/", views.my_data_download, name="my_data_download"),
    path("account/my-data/fhir/", views.my_data_fhir, name="my_data_fhir"),
    path("account/my-data/import/", views.record_import, name="record_import"),
    # A plan to print, the person's own or one they share: the access policy decides, as on the plan's page.
    path("print/<uuid:person_id>/recovery-plan.pdf", views.plan_pdf, name="plan_pdf"),
    path("print/<uuid:person_id>/safety-plan.pdf", views.safety_plan_pdf, name="safety_plan_pdf"),
    path("account/delete/", views.account_delete, name="account_delete"),
    path("account/deleted/", views.account_deleted, name="account_deleted"),
]
