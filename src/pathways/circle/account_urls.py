"""The organisation admin's changes to an account (account_views), under /organisation/<id>/accounts/."""
from django.urls import path

from . import account_views

app_name = "accounts"
urlpatterns = [
    path("<int:organisation_id>/accounts/<uuid:account_id>/deactivate/", account_views.deactivate, name="deactivate"),
    path("<int:organisation_id>/accounts/<uuid:account_id>/reactivate/", account_views.reactivate, name="reactivate"),
    path("<int:organisation_id>/accounts/<uuid:account_id>/professional/", account_views.professional,
         name="professional"),
    path("<int:organisation_id>/accounts/<uuid:account_id>/professional/clear/", account_views.professional_clear,
         name="professional_clear"),
    path("<int:organisation_id>/accounts/<uuid:account_id>/two-step-reset/", account_views.two_step_reset,
         name="two_step_reset"),
]
