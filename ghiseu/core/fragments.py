"""Parts of pages that are the same for everyone in the same situation, rendered once per process.

The header's links, the footer and an empty form are the same HTML for every visitor of the same
kind (anonymous, citizen, staff of a role) in the same language: rendering them on every request
is most of what a light page costs. `render_once` keeps such a fragment keyed by its template,
the active language, the URL prefix and the keys its caller names; the fragment must depend on
nothing else than these, the settings and the translations (never on the CSRF token, the session,
the path or the data). A changed setting (`override_settings` in tests) forgets everything; with
the template engine in debug mode (DEBUG on, templates edited while the server runs) nothing is
kept.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any

from django.core.signals import setting_changed
from django.urls import get_script_prefix
from django.utils.translation import get_language

MAX_FRAGMENTS = 512  # a bound, far above the real number (templates × languages × kinds of visitor)

_fragments: dict[tuple[Hashable, ...], str] = {}
_lock = threading.Lock()


def render_once(name: str, keys: tuple[Hashable, ...], render: Callable[[], str], *, keep: bool = True) -> str:
    """`render()`'s HTML for the fragment `name` with `keys`, rendered at most once per process
    and language (every time when `keep` is false)."""
    if not keep:
        return render()
    key = (name, get_language(), get_script_prefix(), *keys)
    html = _fragments.get(key)
    if html is None:
        html = render()
        with _lock:
            if len(_fragments) >= MAX_FRAGMENTS:
                _fragments.clear()
            _fragments[key] = html
    return html


def forget_all(**kwargs: Any) -> None:
    with _lock:
        _fragments.clear()


setting_changed.connect(forget_all, dispatch_uid="ghiseu.core.fragments.forget_all")
