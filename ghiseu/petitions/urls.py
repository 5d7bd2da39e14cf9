"""Staff screens of petitions, under /petitii/ (mounted by config/urls.py)."""

from django.urls import path

from ghiseu.petitions import views

app_name = "petitions"

urlpatterns = [
    path("", views.staff_list, name="list"),
    path("nou/", views.staff_create, name="create"),
    path("rapoarte/", views.staff_reports, name="reports"),
    path("<int:pk>/", views.staff_detail, name="detail"),
    path("<int:pk>/fotografii/<int:photo_id>/", views.staff_photo, name="photo"),
    path("<int:pk>/<slug:action>/", views.staff_action, name="action"),
]
