"""Reference data every deployment starts with: the categories of problems in the public domain
(each an Open311 service). Administrators route each to its department in the admin; this only
creates what is missing and never overwrites."""

from __future__ import annotations

from ghiseu.petitions.models import PetitionCategory

# code, name, Open311 service code, group, keywords, description
CATEGORIES: list[tuple[str, str, str, str, str, str]] = [
    (
        "roads",
        "Drumuri și trotuare",
        "ROADS",
        "infrastructura",
        "groapă, asfalt, trotuar, bordură",
        "Gropi, asfalt sau trotuare deteriorate, capace de canal lipsă.",
    ),
    (
        "lighting",
        "Iluminat public",
        "LIGHTING",
        "infrastructura",
        "stâlp, bec, lampă, întuneric",
        "Stâlpi de iluminat defecți sau străzi neluminate.",
    ),
    (
        "sanitation",
        "Salubritate",
        "SANITATION",
        "mediu",
        "gunoi, deșeuri, pubele, containere",
        "Deșeuri abandonate, containere pline, colectare neefectuată.",
    ),
    (
        "green-spaces",
        "Spații verzi",
        "GREEN",
        "mediu",
        "parc, copaci, iarbă, toaletare",
        "Parcuri, arbori periculoși, iarbă netăiată, locuri de joacă.",
    ),
    (
        "parking",
        "Parcare",
        "PARKING",
        "circulatie",
        "mașină, parcare, blocare, abandonat",
        "Mașini parcate neregulamentar sau abandonate.",
    ),
    (
        "noise",
        "Zgomot",
        "NOISE",
        "ordine-publica",
        "zgomot, muzică, șantier, noapte",
        "Zgomot peste limitele permise, mai ales noaptea.",
    ),
    ("other", "Altele", "OTHER", "altele", "", "Alte probleme din domeniul public."),
]


def ensure_reference_data() -> None:
    for order, (code, name, service_code, group, keywords, description) in enumerate(CATEGORIES, start=1):
        PetitionCategory.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "service_code": service_code,
                "group": group,
                "keywords": keywords,
                "description": description,
                "order": order,
            },
        )
