from django.urls import path

from . import urge_views, views

app_name = "checkins"
urlpatterns = [
    path("", views.daily, name="daily"),
    path("saved/", views.saved, name="saved"),
    path("recovery/", views.recovery, name="recovery"),
    # Someone's check-ins, day by day, for a supporter they share them with.
    path("of/<uuid:person_id>/", views.shared_daily, name="shared_daily"),
    # The urge log: the person's own, and read by a supporter with the check-ins grant.
    path("urges/", urge_views.urges, name="urges"),
    path("urges/<uuid:urge_id>/saved/", urge_views.urge_saved, name="urge_saved"),
    path("urges/<uuid:urge_id>/", urge_views.urge_edit, name="urge_edit"),
    path("urges/<uuid:urge_id>/remove/", urge_views.urge_delete, name="urge_delete"),
    path("urges/of/<uuid:person_id>/", urge_views.shared_urges, name="shared_urges"),
]
