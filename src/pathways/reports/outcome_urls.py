"""Programme pages: an organisation's outcomes report (for its admins), and a person's answer about being counted."""
from django.urls import path

from . import outcome_views as views

app_name = "outcomes"
urlpatterns = [
    path("statistics/", views.statistics, name="statistics"),
    path("<int:organisation_id>/outcomes/", views.report, name="report"),
    path("<int:organisation_id>/outcomes/<int:year>-<int:month>/", views.month, name="month"),
    path("<int:organisation_id>/outcomes/<int:year>-<int:month>/outcomes.csv", views.download_csv, name="csv"),
    path("<int:organisation_id>/outcomes/<int:year>-<int:month>/outcomes.pdf", views.download_pdf, name="pdf"),
]
