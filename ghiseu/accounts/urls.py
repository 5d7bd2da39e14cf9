from django.urls import path

from ghiseu.accounts import views

app_name = "accounts"

urlpatterns = [
    path("autentificare/", views.login, name="login"),
    path("iesire/", views.logout, name="logout"),
    path("profil/", views.profile, name="profile"),
    path("firme/", views.companies, name="companies"),
    path("firme/<int:representation_id>/renunta/", views.company_end, name="company_end"),
    path("datele-mele/", views.my_data, name="my_data"),
    path("datele-mele/descarca/", views.my_data_download, name="my_data_download"),
    path("", views.home, name="home"),
]
