from django.urls import include, path

from . import account_views, views

app_name = "people"
urlpatterns = [
    path("signup/", views.sign_up, name="sign_up"),
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
    path("account/", include("django.contrib.auth.urls")),
]
