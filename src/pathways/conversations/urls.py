"""Messages between the person and each member of their circle."""
from django.urls import path

from . import views

app_name = "conversations"
urlpatterns = [
    path("", views.conversation_list, name="list"),
    path("with/<uuid:person_id>/", views.with_person, name="with_person"),
    path("<uuid:conversation_id>/", views.conversation, name="conversation"),
    path("<uuid:conversation_id>/new/", views.new_messages, name="new_messages"),
    path("<uuid:conversation_id>/receipts/", views.receipts, name="receipts"),
    path("<uuid:conversation_id>/mute/", views.mute, name="mute"),
    path("<uuid:conversation_id>/block/", views.block, name="block"),
]
