"""Citizens' pages of petitions, under /sesizari/ (mounted by config/urls.py): filing without an
account or JavaScript, and the public list of reported problems."""

from django.urls import path

from ghiseu.petitions import views

app_name = "petitions-public"

urlpatterns = [
    path("", views.public_list, name="list"),
    path("depune/", views.petition_file, name="file"),
    path("depusa/", views.petition_filed, name="filed"),
    path("raspuns/", views.petition_answer_lookup, name="answer"),
    path("raspuns/<int:pk>.pdf", views.petition_answer_pdf, name="answer-pdf"),
    path("raspuns/scrisoare/<str:token>/", views.petition_answer_document, name="answer-document"),
]
