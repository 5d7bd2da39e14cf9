"""Romanian first, English second: the English catalogue is complete and compiled, and the
site is English only for a visitor who chose English with the switch in the header."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

LC_MESSAGES = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"


Entry = tuple[str | None, str, str | None, list[str]]  # msgctxt, msgid, msgid_plural, msgstrs


def po_entries(path: Path) -> list[Entry]:
    """(msgctxt, msgid, msgid_plural, msgstrs) for every entry of a .po file; the header and
    obsolete (#~) entries left out."""
    entries: list[Entry] = []
    current: dict[str, Any] | None = None
    field = ""

    def close() -> None:
        if current is not None and current["msgid"]:
            entries.append((current["msgctxt"], current["msgid"], current["plural"], current["msgstr"]))

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _sep, rest = line.partition(" ")
        if line.startswith('"'):
            value = ast.literal_eval(line)
            if field == "msgstr":
                current["msgstr"][-1] += value  # type: ignore[index]
            else:
                current[field] += value  # type: ignore[index]
        elif keyword == "msgctxt":
            close()
            current = {"msgctxt": ast.literal_eval(rest), "msgid": "", "plural": None, "msgstr": []}
            field = "msgctxt"
        elif keyword == "msgid":
            if field != "msgctxt":
                close()
                current = {"msgctxt": None, "msgid": "", "plural": None, "msgstr": []}
            current["msgid"] = ast.literal_eval(rest)  # type: ignore[index]
            field = "msgid"
        elif keyword == "msgid_plural":
            current["plural"] = ast.literal_eval(rest)  # type: ignore[index]
            field = "plural"
        elif keyword.startswith("msgstr"):
            current["msgstr"].append(ast.literal_eval(rest))  # type: ignore[index]
            field = "msgstr"
    close()
    return entries


def po_messages(path: Path) -> list[tuple[str, str | None, list[str]]]:
    """(msgid, msgid_plural, msgstrs) for every entry of a .po file, the header left out."""
    return [(msgid, plural, msgstrs) for _ctx, msgid, plural, msgstrs in po_entries(path)]


def test_the_english_po_has_no_fuzzy_and_no_empty_translation():
    text = (LC_MESSAGES / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    entries = po_messages(LC_MESSAGES / "django.po")
    assert len(entries) > 1000
    empty = [msgid for msgid, _plural, msgstrs in entries if not all(s.strip() for s in msgstrs)]
    assert empty == []


def test_the_compiled_catalogue_covers_every_message_of_the_po():
    with (LC_MESSAGES / "django.mo").open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)
    missing = []
    for msgid, plural, msgstrs in po_messages(LC_MESSAGES / "django.po"):
        if plural is None:
            got = [catalog.gettext(msgid)]
            ok = got == msgstrs
        else:
            got = [catalog.ngettext(msgid, plural, 1), catalog.ngettext(msgid, plural, 2)]
            ok = got == msgstrs[:2] and all(got)
        if not ok or not all(got):
            missing.append(msgid)
    assert missing == [], "django.mo is stale: run `manage.py compilemessages -l en`"


def test_strings_from_several_apps_come_out_in_english():
    with translation.override("en"):
        assert _("Registratură") == "Registry office"
        assert _("indicativ dosar") == "file code"
        assert _("clasată") == "filed away"
        assert _("secretar general") == "secretary general"
        assert _("Petiția a fost conexată la nr. %(number)s.") % {"number": "12/2026"} == (
            "The petition has been joined to no. 12/2026."
        )
        assert ngettext("%(counter)s serviciu găsit.", "%(counter)s servicii găsite.", 3) % {"counter": 3} == (
            "3 services found."
        )
    with translation.override("ro"):
        assert _("Registratură") == "Registratură"


@pytest.mark.django_db
def test_staff_page_is_english_with_the_language_cookie(client, clerk):
    client.force_login(clerk)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("registry:list")).content.decode()
    assert "<h1>Registry office</h1>" in html
    assert "Register a document" in html
    assert '<html lang="en">' in html


@pytest.mark.django_db
def test_an_english_browser_still_gets_romanian(client, clerk):
    client.force_login(clerk)
    html = client.get(reverse("registry:list"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert "<h1>Registratură</h1>" in html
    assert '<html lang="ro">' in html
    assert "Registry office" not in html


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_romanian(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    html = client.get(reverse("registry-public:status"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Starea documentului" in html


@pytest.mark.django_db
def test_the_language_switch_sets_the_cookie_and_the_next_page_is_english(client):
    status = reverse("registry-public:status")
    page = client.get(status).content.decode()
    assert "Starea documentului" in page
    assert 'name="language" value="en"' in page  # the switch in the header offers English

    response = client.post(reverse("set_language"), {"language": "en", "next": status})
    assert response.status_code == 302
    assert response["Location"] == status
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    page = client.get(status, HTTP_ACCEPT_LANGUAGE="ro").content.decode()
    assert "Document status" in page
    assert "Starea documentului" not in page
    assert 'name="language" value="ro"' in page  # and now offers the way back

    client.post(reverse("set_language"), {"language": "ro", "next": status})
    assert "Starea documentului" in client.get(status).content.decode()
