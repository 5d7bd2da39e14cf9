from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    return render(request, "core/error.html", {"title": title, "message": message}, status=status)


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    from django.utils.translation import gettext as _

    return _error(
        request, 400, _("Cerere greșită"), _("Cererea nu a putut fi înțeleasă. Verificați datele și încercați din nou.")
    )


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    from django.utils.translation import gettext as _

    return _error(request, 403, _("Acces interzis"), _("Nu aveți dreptul să vedeți această pagină."))


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    from django.utils.translation import gettext as _

    return _error(request, 404, _("Pagina nu există"), _("Pagina căutată nu există sau a fost mutată."))


def server_error(request: HttpRequest) -> HttpResponse:
    from django.utils.translation import gettext as _

    return _error(request, 500, _("Eroare"), _("A apărut o eroare. Încercați din nou peste câteva minute."))
