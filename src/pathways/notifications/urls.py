from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:notification_id>/", views.notification_open, name="open"),
    path("read/", views.notification_mark_read, name="mark_read"),
    path("settings/", views.reminder_settings, name="settings"),
]
