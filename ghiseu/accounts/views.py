from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """After login: staff go to their work, citizens to the portal."""
    if getattr(request.user, "is_staff_member", False):
        return redirect("registry:list")
    return redirect("portal-home")
