from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from ghiseu.api.api import api
from ghiseu.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="portal-home"),
    path("limba/", set_language, name="set_language"),
    path("cont/", include("ghiseu.accounts.urls")),
    path("cont/", include("ghiseu.accounts.allauth_urls")),  # allauth: sign-up, e-mail, password, MFA, ROeID
    path("registratura/", include("ghiseu.registry.urls")),
    path("stare/", include("ghiseu.registry.public_urls")),
    path("servicii/", include("ghiseu.eservices.urls")),
    path("dosarul-meu/", include("ghiseu.eservices.myfile_urls")),
    path("lucrari/", include("ghiseu.procedures.urls")),
    path("petitii/", include("ghiseu.petitions.urls")),
    path("sesizari/", include("ghiseu.petitions.public_urls")),
    path("open311/v2/", include("ghiseu.petitions.open311_urls")),
    path("arhiva/", include("ghiseu.archive.urls")),
    path("cautare/", include("ghiseu.search.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = "ghiseu.core.views.bad_request"
handler403 = "ghiseu.core.views.permission_denied"
handler404 = "ghiseu.core.views.page_not_found"
handler500 = "ghiseu.core.views.server_error"
