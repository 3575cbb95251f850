from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordChangeView
from django.urls import include, path

from pathways.verification.recent import recent_authentication_required

from . import account_views, views

app_name = "people"
urlpatterns = [
    path("signup/", views.sign_up, name="sign_up"),
    path("signup/check-your-email/", views.sign_up_sent, name="sign_up_sent"),
    path("signup/confirm/<str:token>/", views.sign_up_confirm, name="sign_up_confirm"),
    path("join/<str:token>/", views.join, name="join"),
    path("me/", views.profile, name="profile"),
    path("organisation/", views.organisations, name="organisations"),
    path("organisation/<int:organisation_id>/", views.organisation, name="organisation"),
    path("organisation/<int:organisation_id>/invite/", views.invite, name="invite"),
]

# Django's own account views, under their standard names (login, logout, password_reset, ...).
account_urlpatterns = [
    path("account/login/", views.PathwaysLoginView.as_view(), name="login"),
    path("account/my-data/", account_views.my_data, name="my_data"),
    path("account/my-data/download/", account_views.my_data_download, name="my_data_download"),
    path("account/delete/", account_views.account_delete, name="account_delete"),
    path("account/deleted/", account_views.account_deleted, name="account_deleted"),
    # Before Django's own, which it replaces: the reset email is queued and requests are limited.
    path("account/password_reset/", views.PathwaysPasswordResetView.as_view(), name="password_reset"),
    # Before Django's own: changing the password asks the old one (Django's form) and, when signing in or
    # the last confirmation was a while ago, a confirmation first (with a code for two-step accounts).
    path("account/password_change/", login_required(recent_authentication_required(
        PasswordChangeView.as_view())), name="password_change"),
    path("account/", include("django.contrib.auth.urls")),
]
