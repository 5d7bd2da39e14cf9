"""django-allauth's URLs under /cont/ (no namespace: allauth reverses its own names).

Login, logout and sign-up get Romanian addresses: listed after allauth's, they are the ones
`reverse()` gives for `account_login`, `account_logout` and `account_signup`, so allauth's
redirects and the project's `accounts:login` lead to the same page.
"""

from allauth.account.views import SignupView
from django.urls import include, path

from ghiseu.accounts import views

urlpatterns = [
    path("", include("allauth.urls")),
    path("autentificare/", views.login, name="account_login"),
    path("iesire/", views.logout, name="account_logout"),
    path("inregistrare/", SignupView.as_view(), name="account_signup"),
]
