"""The site's URL map: each app brings its own patterns."""
from django.contrib import admin
from django.urls import include, path

from pathways.people.urls import account_urlpatterns
from pathways.verification.urls import sign_in_urlpatterns
from pathways.web import views as web_views

urlpatterns = [
    path("", web_views.home, name="home"),
    path("healthz", web_views.healthz, name="healthz"),
    path("leave/", web_views.leave, name="leave"),  # the neutral page "Leave this page quickly" can go to
    path("", include("pathways.people.urls")),
    path("", include("pathways.records.urls")),
    path("account/sessions/", include("pathways.signins.urls")),
    path("account/", include("pathways.verification.urls")),
    *sign_in_urlpatterns,
    *account_urlpatterns,
    path("plan/", include("pathways.plans.urls")),
    path("circle/", include("pathways.circle.urls")),
    path("organisation/", include("pathways.circle.account_urls")),  # an admin's changes to an account
    path("checkin/", include("pathways.checkins.urls")),
    path("measures/", include("pathways.checkins.questionnaire_urls")),
    path("warning-signs/", include("pathways.checkins.warning_urls")),
    path("people/", include("pathways.reports.urls")),
    path("programme/", include("pathways.reports.outcome_urls")),
    path("notifications/", include("pathways.notifications.urls")),
    path("conversations/", include("pathways.conversations.urls")),
    path("notes/", include("pathways.conversations.note_urls")),
    path("language-check/", include("pathways.conversations.language_urls")),
    path("safety/", include("pathways.safety.urls")),
    path("mi/", include("pathways.mi.web.urls")),
    path("library/", include("pathways.library.urls")),
    path("services/", include("pathways.directory.urls")),
    path("tools/", include("pathways.tools.urls")),
    path("admin/", admin.site.urls),
]
