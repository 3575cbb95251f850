from django.urls import include, path

from . import views

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
    path("organisation/<int:organisation_id>/about/", views.organisation_about, name="organisation_about"),
    path("organisation/<int:organisation_id>/invitations/<int:invitation_id>/withdraw/", views.invitation_withdraw,
         name="invitation_withdraw"),
    path("organisation/<int:organisation_id>/people/", views.people_list, name="people_list"),
    path("organisation/<int:organisation_id>/staff/", views.staff_list, name="staff_list"),
]

# Django's own account views, under their standard names (logout, password_reset, ...); verification.urls
# brings its login and password change before these.
account_urlpatterns = [
    # Before Django's own, which it replaces: the reset email is queued and requests are limited.
    path("account/password_reset/", views.PathwaysPasswordResetView.as_view(), name="password_reset"),
    path("account/", include("django.contrib.auth.urls")),
]
