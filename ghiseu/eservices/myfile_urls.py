"""The citizen's own file, under /dosarul-meu/."""

from django.urls import path

from ghiseu.eservices import views

app_name = "myfile"

urlpatterns = [
    path("", views.myfile_home, name="home"),
    path("cereri/<int:pk>/", views.myfile_request, name="request"),
    path("cereri/<int:pk>/completare/", views.myfile_answer, name="answer"),
    path("cereri/<int:pk>/document.pdf", views.myfile_document, name="document"),
    path("cereri/<int:pk>/atasamente/<int:attachment_id>/", views.myfile_attachment, name="attachment"),
    path("mesaje/<int:pk>/", views.myfile_message, name="message"),
]
