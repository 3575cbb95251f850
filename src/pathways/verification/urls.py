from django.urls import path

from . import views

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
