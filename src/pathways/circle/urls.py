from django.urls import path

from . import views

app_name = "circle"
urlpatterns = [
    path("", views.circle, name="circle"),
    path("invite/", views.invite, name="invite"),
    path("invitations/<int:invitation_id>/withdraw/", views.invitation_withdraw, name="invitation_withdraw"),
    path("staff/", views.staff_add, name="staff_add"),
    path("members/<uuid:member_id>/remove/", views.member_remove, name="member_remove"),
    path("members/<uuid:member_id>/share/", views.grant_new, name="grant_new"),
    path("members/<uuid:member_id>/stop/<slug:category>/", views.category_revoke, name="category_revoke"),
    path("grants/", views.grants, name="grants"),
    path("grants/<uuid:grant_id>/", views.grant_detail, name="grant"),
    path("grants/<uuid:grant_id>/download/", views.grant_download, name="grant_download"),
    path("grants/<uuid:grant_id>/revoke/", views.grant_revoke, name="grant_revoke"),
    path("join/<str:token>/", views.join, name="join"),
    path("access-log/", views.access_log, name="access_log"),
    path("access-log/disclosures.csv", views.disclosures_download, name="disclosures"),
    path("emergency/<uuid:person_id>/", views.emergency_access, name="emergency_access"),
]
