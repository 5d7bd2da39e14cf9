"""The Romanian analyzer and how words, phrases and numbers match."""

from __future__ import annotations

from typing import Any

import pytest

from ghiseu.search import engine
from ghiseu.search.documents import extract_identifiers
from ghiseu.search.tests.helpers import doc, find, ids, index_docs

pytestmark = pytest.mark.django_db


def test_analyzer_folds_diacritics_before_stemming() -> None:
    analyze = engine.analyze
    assert analyze("registratură") == analyze("registratura") == ["registratur"]
    # cedilla (OCR) and comma-below are the same letter, with and without diacritics
    assert analyze("Şcoala ţării") == analyze("Școala țării") == analyze("scoala tarii")
    assert len(set(analyze("dosar dosarul dosarului dosare dosarele dosarelor"))) == 1
    assert len(set(analyze("certificat certificatul certificatului certificatele"))) == 1
    assert analyze("dosar") != analyze("dosnic")


def test_schema_uses_the_romanian_analyzer_for_title_and_body(search_index_dir: Any) -> None:
    index_docs(doc(object_id=1, title="Registratură", text="Cererile primăriei"))
    assert ids("registratura") == {"1"}  # title
    assert ids("cererea primaria") == {"1"}  # body, another inflection, no diacritics


def test_words_without_diacritics_find_text_with_them() -> None:
    index_docs(
        doc(object_id=1, text="Autorizația de construire pentru școală și grădiniță"),
        doc(object_id=2, text="Certificat fiscal"),
    )
    assert ids("autorizatia scoala gradinita") == {"1"}
    assert ids("AUTORIZAȚIA") == {"1"}


def test_cedilla_and_comma_below_find_each_other() -> None:
    index_docs(
        doc(object_id="ocr", text="Cerere pentru înfiinţarea unei asociaţii"),  # cedilla, from OCR
        doc(object_id="typed", text="Cerere pentru înființarea unei asociații"),  # comma-below
        doc(object_id="other", text="Cerere pentru desființarea unui gard"),
    )
    assert ids("înființarea asociații") == {"ocr", "typed"}
    assert ids("înfiinţarea asociaţii") == {"ocr", "typed"}
    assert ids("infiintarea asociatii") == {"ocr", "typed"}


def test_cedilla_is_stored_in_comma_below_form() -> None:
    index_docs(doc(object_id=1, title="Hotărâre privind taxele şcolare", text="Din ţară"))
    hit = find("tara").hits[0]
    assert hit.title == "Hotărâre privind taxele școlare"
    assert hit.snippet == "Din <mark>țară</mark>"


def test_inflected_forms_match() -> None:
    index_docs(
        doc(object_id=1, text="Numărul dosarului a fost comunicat"),
        doc(object_id=2, text="Dosarele au fost arhivate"),
        doc(object_id=3, text="Un singur dosar"),
        doc(object_id=4, text="Doar o adresă"),
    )
    for form in ("dosar", "dosarul", "dosarului", "dosarele", "DOSARE"):
        assert ids(form) == {"1", "2", "3"}, form


def test_every_word_must_match() -> None:
    index_docs(
        doc(object_id=1, text="certificat de urbanism pentru teren"),
        doc(object_id=2, text="certificat fiscal"),
    )
    assert ids("certificat urbanism") == {"1"}
    assert ids("certificat") == {"1", "2"}
    # function words do not have to appear
    assert ids("certificatul de urbanism") == {"1"}
    assert ids("certificat pentru urbanism si") == {"1"}


def test_phrase_matches_only_the_phrase() -> None:
    index_docs(
        doc(object_id="phrase", text="Proiectul privind bugetul local pe anul 2026"),
        doc(object_id="apart", text="Bugetul a fost aprobat în ședința consiliului local"),
        doc(object_id="reversed", text="local bugetul"),
    )
    assert ids("bugetul local") == {"phrase", "apart", "reversed"}
    assert ids('"bugetul local"') == {"phrase"}
    assert ids("„bugetului local”") == {"phrase"}  # Romanian quotes, another inflection
    assert ids('-"bugetul local" buget') == {"apart", "reversed"}


def test_exact_numbers_match_exactly() -> None:
    index_docs(
        doc(object_id="a", text="Răspuns la cererea nr. 1234/2026 din 3 martie"),
        doc(object_id="b", text="Cererea nr.1234/2025"),
        doc(object_id="c", text="Cererea nr. 11234/2026 și 1234/20261"),
        doc(object_id="d", title="Dosar 1234/2026/A", text=""),
        doc(object_id="e", text="Solicitant cu CNP 1850101123456, teren cu nr. cadastral 60123-C1-U5"),
        doc(object_id="f", text="Nr. cadastral 60124"),
    )
    assert ids("1234/2026") == {"a", "d"}  # 1234/2026/A carries its prefix
    assert ids("1234/2026/a") == {"d"}
    assert ids("1234/2025") == {"b"}
    assert ids("1850101123456") == {"e"}
    assert ids("185010112345") == set()  # one digit short: no partial match
    assert ids("60123") == {"e"}
    assert ids("60123-C1-U5") == {"e"}
    assert ids("cerere 1234/2026") == {"a"}


def test_identifiers_extracted_with_prefixes() -> None:
    assert extract_identifiers("nr. 1234/2026/A, 60123-C1-U5 și CNP 2900101123459; 12.03.2026 12") == [
        "1234/2026/a",
        "1234/2026",
        "60123-c1-u5",
        "60123",
        "60123-c1",
        "2900101123459",
    ]
    assert extract_identifiers("١٢٣٤٥ x12345 12345_6 1234 / 2026") == []  # ASCII digits, whole tokens


def test_exclusion() -> None:
    index_docs(
        doc(object_id=1, text="autorizație de construire"),
        doc(object_id=2, text="autorizație de demolare"),
    )
    assert ids("autorizatie -demolare") == {"1"}
    assert ids("-demolare") == {"1"}


def test_title_weighs_more_than_text() -> None:
    index_docs(
        doc(object_id="in_text", title="Adresă", text="despre iluminat public și altele"),
        doc(object_id="in_title", title="Iluminat public", text="despre altele"),
    )
    assert [h.object_id for h in find("iluminat").hits] == ["in_title", "in_text"]


def test_snippet_is_escaped_and_marks_the_words() -> None:
    body = "Început. " + "text de umplutură " * 40 + "Cererea <b>urgentă</b> privind autorizația & restul. " * 2
    index_docs(doc(object_id=1, title="Autorizație <i>x</i>", text=body))
    hit = find("autorizatie").hits[0]
    assert "<mark>autorizația</mark>" in hit.snippet
    assert "&lt;b&gt;urgentă&lt;/b&gt;" in hit.snippet and "&amp;" in hit.snippet
    assert "<b>" not in hit.snippet
    assert hit.snippet.startswith("… ")  # the passage is taken from the middle
    assert hit.title_html == "<mark>Autorizație</mark> &lt;i&gt;x&lt;/i&gt;"
    assert hit.title == "Autorizație <i>x</i>"
