from django.urls import path

from . import note_views as views

app_name = "notes"
urlpatterns = [
    path("", views.my_notes, name="list"),
    path("of/<uuid:person_id>/", views.of_person, name="of_person"),
    path("of/<uuid:person_id>/new/", views.write, name="write"),
    path("<uuid:note_id>/", views.note, name="note"),
    path("<uuid:note_id>/correct/", views.correct, name="correct"),
    path("<uuid:note_id>/respond/", views.respond, name="respond"),
]
