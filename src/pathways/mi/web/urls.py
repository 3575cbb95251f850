from django.urls import path

from . import views

app_name = "mi"
urlpatterns = [
    path("", views.analyze, name="analyze"),
    path("save/", views.save, name="save"),
    path("saved/", views.saved_list, name="saved"),
    path("saved/<uuid:public_id>/", views.saved_transcript, name="saved_transcript"),
    path("saved/<uuid:public_id>/delete/", views.saved_delete, name="saved_delete"),
    path("practice/", views.practice, name="practice"),
    path("practice/clear/", views.practice_clear, name="practice_clear"),
]
