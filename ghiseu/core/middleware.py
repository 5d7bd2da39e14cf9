"""Romanian first: the language is the visitor's choice, never the browser's guess.

Django's LocaleMiddleware falls back to the Accept-Language header, so a visitor whose
browser is set to English would get the English site without asking for it. Here the only
way to English is the language switch in the page header (POST to set_language, which sets
the language cookie); everyone else sees settings.LANGUAGE_CODE (Romanian).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


def chosen_language(request: HttpRequest) -> str:
    """The language in the language cookie if it is one the site offers, else the default."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    available = {lang for lang, _name in settings.LANGUAGES}
    return code if code in available else settings.LANGUAGE_CODE


class LanguageMiddleware:
    """Activate the language chosen with the switch (the cookie), Romanian otherwise."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            translation.deactivate()
        # The page depends on the cookie, not on Accept-Language: caches must key on it.
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
