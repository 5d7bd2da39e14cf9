"""Views of the accounts: after login, the citizen's profile, the companies they represent, "my data".

Login, sign-up, e-mail verification, password reset and MFA are django-allauth's views (with the
project's templates); the names `accounts:login` and `accounts:logout` point at them.
"""

from __future__ import annotations

from typing import Any

from allauth.account.views import LoginView, LogoutView
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ghiseu.accounts import selectors, services
from ghiseu.accounts.forms import CompanyForm, ProfileForm
from ghiseu.accounts.models import Role
from ghiseu.accounts.mydata import write_my_data_zip
from ghiseu.core.errors import DomainError, NotFound


class GhiseuLoginView(LoginView):
    """allauth's login; the page says plainly when staff MFA is relaxed (the `make run` demo)."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["staff_mfa_required"] = settings.GHISEU_STAFF_MFA_REQUIRED
        return context


login = GhiseuLoginView.as_view()
logout = LogoutView.as_view()


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """After login: the registry office to its register, other staff to their work, citizens to the portal."""
    if getattr(request.user, "is_staff_member", False):
        if getattr(request.user, "role", None) in (Role.CLERK, Role.ADMIN, Role.ARCHIVIST):
            return redirect("registry:list")
        return redirect("procedures:dashboard")
    return redirect("portal-home")


def _form_error(form: ProfileForm | CompanyForm, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error))


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    current = selectors.profile_for(user)
    initial = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "address": current.address,
        "phone": current.phone,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.profile_update(user=user, **form.cleaned_data)
            except DomainError as error:
                _form_error(form, error)
            else:
                messages.success(request, _("Datele au fost salvate."))
                return redirect("accounts:profile")
        status = 400
    context = {
        "form": form,
        "profile": current,
        "representations": selectors.representations_for(user),
    }
    return render(request, "account/profile.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def companies(request: HttpRequest) -> HttpResponse:
    form = CompanyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                link = services.company_representation_add(user=request.user, **form.cleaned_data)  # type: ignore[arg-type]
            except DomainError as error:
                _form_error(form, error)
            else:
                messages.success(request, _("Acum reprezentați %(company)s.") % {"company": link.company})
                return redirect("accounts:companies")
        status = 400
    context = {"form": form, "representations": selectors.representations_for(request.user)}
    return render(request, "account/companies.html", context, status=status)


@login_required
@require_POST
def company_end(request: HttpRequest, representation_id: int) -> HttpResponse:
    try:
        services.company_representation_end(user=request.user, representation_id=representation_id)  # type: ignore[arg-type]
    except NotFound as error:  # someone else's link: not revealed
        raise Http404(str(error)) from error
    messages.success(request, _("Nu mai reprezentați firma."))
    return redirect("accounts:companies")


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    return render(request, "account/my_data.html", {})


@login_required
@require_POST
def my_data_download(request: HttpRequest) -> FileResponse:
    """The ZIP of everything held about the signed-in user (POST: a download that is audited)."""
    archive, files = write_my_data_zip(request.user, institution=settings.GHISEU_INSTITUTION)
    size = archive.seek(0, 2)
    archive.seek(0)
    services.my_data_exported(user=request.user, files=files, size=size)  # type: ignore[arg-type]
    name = f"datele-mele-{timezone.localdate():%Y-%m-%d}.zip"
    response = FileResponse(archive, as_attachment=True, filename=name, content_type="application/zip")
    response["Cache-Control"] = "no-store"
    return response
