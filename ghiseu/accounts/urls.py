from django.contrib.auth import views as auth_views
from django.urls import path

from ghiseu.accounts import views

app_name = "accounts"

urlpatterns = [
    path("autentificare/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("iesire/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
]
