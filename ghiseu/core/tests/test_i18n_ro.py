"""Romanian is the source language, but allauth's pages and messages come in English msgids:
the project catalogue locale/ro re-translates every one of them (allauth's own Romanian
catalogue lacks diacritics and says "tu"), with ș ț written with the comma below and in the
formal register of the rest of the site."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import allauth
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from ghiseu.core.tests.test_i18n import po_entries

LC_MESSAGES = Path(settings.BASE_DIR) / "locale" / "ro" / "LC_MESSAGES"
ALLAUTH_PO = Path(allauth.__file__).parent / "locale" / "ro" / "LC_MESSAGES" / "django.po"


def test_the_romanian_po_has_no_fuzzy_and_no_empty_translation():
    text = (LC_MESSAGES / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    assert '"Language: ro\\n"' in text
    entries = po_entries(LC_MESSAGES / "django.po")
    assert len(entries) > 300
    empty = [msgid for _ctx, msgid, _plural, msgstrs in entries if not all(s.strip() for s in msgstrs)]
    assert empty == []
    plurals = [msgstrs for _ctx, _msgid, plural, msgstrs in entries if plural is not None]
    assert plurals and all(len(msgstrs) == 3 for msgstrs in plurals)  # nplurals=3, as allauth's


def test_no_cedilla_letters_and_the_formal_register():
    cedilla = re.compile("[şţŞŢ]")
    informal = re.compile(r"\b(te rugăm|te rugam|tu|tău|poți|ești|introdu|folosește)\b", re.IGNORECASE)
    bad = [
        msgstr
        for _ctx, _msgid, _plural, msgstrs in po_entries(LC_MESSAGES / "django.po")
        for msgstr in msgstrs
        if cedilla.search(msgstr) or informal.search(msgstr)
    ]
    assert bad == []


def test_every_message_of_allauths_romanian_catalogue_is_retranslated():
    ours = {(ctx, msgid): (plural, msgstrs) for ctx, msgid, plural, msgstrs in po_entries(LC_MESSAGES / "django.po")}
    theirs = po_entries(ALLAUTH_PO)
    assert len(theirs) > 300
    missing = [(ctx, msgid) for ctx, msgid, _plural, _msgstrs in theirs if (ctx, msgid) not in ours]
    assert missing == [], "allauth was upgraded: translate its new messages in locale/ro"
    placeholder = re.compile(r"%\(\w+\)s|%[sd]|\{\w*\}|<[^>]+>")
    changed = []
    for ctx, msgid, plural, _msgstrs in theirs:
        our_plural, msgstrs = ours[(ctx, msgid)]
        assert our_plural == plural, msgid
        for msgstr in msgstrs:
            if sorted(placeholder.findall(msgstr)) != sorted(placeholder.findall(msgid)):
                changed.append(msgid)
    assert changed == []


def test_the_compiled_catalogue_matches_the_po():
    with (LC_MESSAGES / "django.mo").open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)
    assert catalog.info()["language"] == "ro"
    stale = []
    for ctx, msgid, plural, msgstrs in po_entries(LC_MESSAGES / "django.po"):
        if plural is None:
            got = [catalog.pgettext(ctx, msgid) if ctx else catalog.gettext(msgid)]
        else:  # Romanian: 1, few (0, 2–19, 101–119…), many (20+)
            got = [catalog.ngettext(msgid, plural, n) for n in (1, 3, 25)]
        if got != msgstrs:
            stale.append(msgid)
    assert stale == [], "django.mo is stale: run msgfmt --check -o locale/ro/LC_MESSAGES/django.mo (…).po"


def test_allauth_strings_come_out_in_romanian():
    with translation.override("ro"):
        assert _("Change Password") == "Schimbați parola"
        assert _("Please type your current password.") == "Vă rugăm să introduceți parola actuală."
        assert _("Forgot your password?") == "Ați uitat parola?"
        assert _("Two-Factor Authentication") == "Autentificare în doi pași"
        assert _("Authenticator App") == "Aplicație de autentificare"
        assert _("Recovery codes") == "Coduri de recuperare"
        assert _("Email address") == "Adresă de e-mail"
        assert _("Login") == "Autentificare"
        assert pgettext("field label", "Login") == "Utilizator"
        assert pgettext("action", "Change Phone") == "Schimbați numărul de telefon"
        assert _("Confirmation email sent to %(email)s.") % {"email": "ana@example.ro"} == (
            "E-mailul de confirmare a fost trimis la ana@example.ro."
        )
        key = ("You have added %(count)s security key.", "You have added %(count)s security keys.")
        assert ngettext(*key, 1) % {"count": 1} == "Ați adăugat 1 cheie de securitate."
        assert ngettext(*key, 2) % {"count": 2} == "Ați adăugat 2 chei de securitate."
        assert ngettext(*key, 20) % {"count": 20} == "Ați adăugat 20 de chei de securitate."
        assert _("Registratură") == "Registratură"  # the project's own strings are untouched
    with translation.override("en"):
        assert _("Change Password") == "Change Password"


@pytest.mark.django_db
def test_allauths_email_page_is_romanian(client, citizen):
    client.force_login(citizen)
    html = client.get(reverse("account_email")).content.decode()
    assert "Adrese de e-mail" in html
    assert "Adăugați adresa de e-mail" in html
    assert "Add Email" not in html
