from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordChangeView
from django.urls import path

from . import views
from .recent import recent_authentication_required

app_name = "verification"
urlpatterns = [
    path("login/code/", views.login_code, name="login_code"),
    path("confirm/", views.confirm, name="confirm"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/set-up/", views.set_up, name="set_up"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("two-factor/turn-off/", views.turn_off, name="turn_off"),
    path("email/", views.email_change, name="email_change"),
    path("email/confirm/<str:token>/", views.email_confirm, name="email_confirm"),
]

# Under their standard names, without a namespace, before Django's own account views (which they replace).
sign_in_urlpatterns = [
    path("account/login/", views.PathwaysLoginView.as_view(), name="login"),
    # Changing the password asks the old one (Django's form) and, when signing in or the last confirmation
    # was a while ago, a confirmation first (with a code for two-step accounts).
    path("account/password_change/", login_required(recent_authentication_required(
        PasswordChangeView.as_view())), name="password_change"),
]
