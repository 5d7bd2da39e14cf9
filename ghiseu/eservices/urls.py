"""The public catalogue and the online request, under /servicii/."""

from django.urls import path

from ghiseu.eservices import views

app_name = "eservices"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("cereri/<int:pk>/date/", views.request_values, name="values"),
    path("cereri/<int:pk>/documente/", views.request_documents, name="documents"),
    path("cereri/<int:pk>/verificare/", views.request_review, name="review"),
    path("cereri/<int:pk>/confirmare/", views.request_done, name="done"),
    path("cereri/<int:pk>/emitere/", views.request_issue, name="issue"),
    path("cereri/<int:pk>/fisiere/<int:attachment_id>/", views.staff_attachment, name="staff_attachment"),
    path("<slug:code>/", views.service_detail, name="service"),
    path("<slug:code>/cerere/", views.request_start, name="start"),
]
