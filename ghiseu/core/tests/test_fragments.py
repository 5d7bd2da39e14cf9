"""Fragments rendered once per process: the same for the same language and kind of visitor only."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ghiseu.core import fragments


def test_a_fragment_is_rendered_once_per_language_and_keys() -> None:
    fragments.forget_all()
    calls: list[str] = []

    def render() -> str:
        calls.append(translation.get_language())
        return f"<p>{translation.get_language()}</p>"

    with translation.override("ro"):
        assert fragments.render_once("t", ("a",), render) == "<p>ro</p>"
        assert fragments.render_once("t", ("a",), render) == "<p>ro</p>"
        assert fragments.render_once("t", ("b",), render) == "<p>ro</p>"
    with translation.override("en"):
        assert fragments.render_once("t", ("a",), render) == "<p>en</p>"
    assert calls == ["ro", "ro", "en"]
    assert fragments.render_once("t", ("a",), render, keep=False)
    assert len(calls) == 4


def test_a_changed_setting_forgets_the_fragments(settings: Any) -> None:
    fragments.render_once("t", (), lambda: "x")
    settings.GHISEU_INSTITUTION = {**settings.GHISEU_INSTITUTION, "name": "Primăria Orașului Uricani"}
    assert fragments.render_once("t", (), lambda: "y") == "y"


@pytest.mark.django_db
def test_each_kind_of_visitor_sees_its_own_header_in_its_language(citizen: Any, clerk: Any) -> None:
    """One process, one after the other: anonymous, citizen and clerk, in Romanian and in English."""
    fragments.forget_all()
    for language, texts in {
        "ro": ("Autentificare", "Dosarul meu", "Registratură", "Stare document"),
        "en": ("Sign in", "My file", "Registry office", "Document status"),
    }.items():
        login, myfile, registry, status = texts
        pages = {}
        for who, user in (("anonymous", None), ("citizen", citizen), ("clerk", clerk)):
            client = Client()
            client.cookies["django_language"] = language
            if user is not None:
                client.force_login(user)
            html = client.get(reverse("registry-public:status")).content.decode()
            assert f'<html lang="{language}">' in html
            assert status in html
            pages[who] = html
        assert login in pages["anonymous"] and myfile not in pages["anonymous"]
        assert myfile in pages["citizen"] and registry not in pages["citizen"]
        assert registry in pages["clerk"] and myfile not in pages["clerk"]
        assert f"({citizen.get_username()})" in pages["citizen"]
        assert f"({clerk.get_username()})" in pages["clerk"]
    # What was kept holds nothing of a request: no CSRF token, no user name, no path.
    kept = "".join(fragments._fragments.values())
    assert kept and "csrfmiddlewaretoken" not in kept
    assert citizen.get_username() not in kept and clerk.get_username() not in kept
