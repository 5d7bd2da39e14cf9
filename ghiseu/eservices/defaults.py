"""Demo catalogue: real services of Primăria Municipiului Lupeni (DOMAIN.md), with their legal
deadlines, procedures and output templates. `ensure_demo_services()` creates what is missing and
never overwrites a service an administrator has edited (matched by code)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NamedTuple

from django.db import transaction

from ghiseu.accounts.models import Department, NomenclatorEntry
from ghiseu.core.calendar import CALENDAR, WORKING
from ghiseu.eservices.models import ApplicantKind, FieldKind, LifeEvent, Service, ServiceDocument, ServiceField
from ghiseu.procedures.defaults import ensure_standard_procedures
from ghiseu.procedures.models import ProcedureDefinition
from ghiseu.registry.models import DocumentType
from ghiseu.registry.reference import ensure_reference_data

# Departments the demo services belong to (code → name), created when missing.
DEPARTMENTS = {
    "TAX": "Taxe și impozite locale",
    "URB": "Urbanism și amenajarea teritoriului",
    "JUR": "Juridic și contencios administrativ",
    "SCV": "Stare civilă",
    "RAG": "Registrul agricol și fond funciar",
    "PRIM": "Cabinet Primar",
}
# Document types the services need beyond the registry's reference data.
EXTRA_DOCUMENT_TYPES = [
    ("civil-status-transcription", "Cerere transcriere act de stare civilă", 60, CALENDAR, "Legea 119/1996"),
]

ID_CARD = ("Copie a actului de identitate", "Cartea de identitate a solicitantului (sau a reprezentantului).")

# Reusable pieces of the output bodies (Django template language).
_APPLICANT = "{{ applicant.get_full_name|default:applicant.username }}"
_INTRO = (
    "<p>Ca urmare a cererii înregistrate sub nr. {{ number }}, depuse de " + _APPLICANT + ", {{ institution.name }} "
)


def _body(text: str) -> str:
    return _INTRO + text + "</p>"


class FieldSpec(NamedTuple):
    name: str
    label: str
    kind: str = FieldKind.TEXT
    required: bool = True
    choices: str = ""
    help_text: str = ""


class ServiceSpec(NamedTuple):
    code: str
    name: str
    description: str
    life_event: str
    department: str
    legal_basis: str
    deadline_days: int | None
    deadline_kind: str
    procedure: str
    document_type: str
    output_title: str
    output_template: str
    documents: list[tuple[str, str]]
    fields: list[FieldSpec]
    fee: Decimal = Decimal("0.00")
    applicant_kind: str = ApplicantKind.BOTH
    completion_stops_clock: bool = False


_ADDRESS = FieldSpec("adresa_imobil", "Adresa imobilului", FieldKind.ADDRESS)
_CADASTRAL = FieldSpec(
    "nr_cadastral", "Număr cadastral", FieldKind.CADASTRAL, help_text="Din extrasul de carte funciară, de ex. 60123."
)
_VEHICLE = [
    FieldSpec("nr_inmatriculare", "Număr de înmatriculare", help_text="De exemplu HD 12 ABC."),
    FieldSpec("marca", "Marca și modelul"),
]
_ACQUIRED = FieldSpec("data_dobandirii", "Data dobândirii", FieldKind.DATE)

SERVICES: list[ServiceSpec] = [
    ServiceSpec(
        "certificat-de-atestare-fiscala",
        "Certificat de atestare fiscală",
        "Atestă că nu aveți datorii la bugetul local (sau le enumeră). Valabil 30 de zile.",
        LifeEvent.TAXES,
        "TAX",
        "Legea 207/2015 (Codul de procedură fiscală), art. 158–159",
        2,
        WORKING,
        "certificat-atestare-fiscala",
        "fiscal-certificate",
        "Certificat de atestare fiscală",
        _body(
            "certifică faptul că, la data emiterii, solicitantul nu înregistrează obligații de plată restante "
            "la bugetul local al municipiului.</p><p>Certificatul se eliberează în scopul: "
            "<strong>{{ values.scop }}</strong>.</p><p>Prezentul certificat este valabil 30 de zile de la emitere."
        ),
        [ID_CARD],
        [
            FieldSpec(
                "scop",
                "Scopul eliberării",
                FieldKind.CHOICE,
                choices="Înstrăinare imobil\nÎnstrăinare autovehicul\nDosar de licitație\nSuccesiune\nAlt scop",
            )
        ],
    ),
    ServiceSpec(
        "certificat-de-urbanism",
        "Certificat de urbanism",
        "Informează asupra regimului juridic, economic și tehnic al unui imobil și asupra avizelor necesare.",
        LifeEvent.BUILDING,
        "URB",
        "Legea 50/1991, art. 6^1",
        15,
        CALENDAR,
        "certificat-urbanism",
        "urbanism-certificate",
        "Certificat de urbanism",
        _body(
            "emite prezentul certificat de urbanism pentru imobilul situat la adresa {{ values.adresa_imobil }}, "
            "număr cadastral {{ values.nr_cadastral }}, în scopul: <strong>{{ values.scop }}</strong>.</p>"
            "<p>Regimul juridic, economic și tehnic al imobilului este cel stabilit de Planul Urbanistic General "
            "al municipiului. Certificatul nu ține loc de autorizație de construire."
        ),
        [
            ID_CARD,
            ("Extras de carte funciară pentru informare", "Actualizat, nu mai vechi de 30 de zile."),
            ("Plan de încadrare în zonă și plan de situație", "Scara 1:2000 / 1:500, vizate de OCPI."),
        ],
        [_ADDRESS, _CADASTRAL, FieldSpec("scop", "Scopul solicitării", help_text="De exemplu construire locuință.")],
        fee=Decimal("15.00"),
    ),
    ServiceSpec(
        "autorizatie-de-construire",
        "Autorizație de construire",
        "Actul care permite executarea lucrărilor de construire, pe baza certificatului de urbanism.",
        LifeEvent.BUILDING,
        "URB",
        "Legea 50/1991, art. 7",
        30,
        CALENDAR,
        "certificat-urbanism",
        "building-permit",
        "Autorizație de construire",
        _body(
            "autorizează executarea lucrărilor de construire „{{ values.lucrari }}” la imobilul situat la "
            "adresa {{ values.adresa_imobil }}, număr cadastral {{ values.nr_cadastral }}, conform documentației "
            "tehnice anexate, care face parte integrantă din prezenta autorizație."
        ),
        [
            ID_CARD,
            ("Certificatul de urbanism", "În copie."),
            ("Documentația tehnică D.T.A.C.", "Semnată și verificată."),
            ("Avizele și acordurile cerute prin certificatul de urbanism", ""),
        ],
        [_ADDRESS, _CADASTRAL, FieldSpec("lucrari", "Descrierea lucrărilor")],
    ),
    ServiceSpec(
        "autorizatie-de-desfiintare",
        "Autorizație de desființare",
        "Actul care permite demolarea unei construcții.",
        LifeEvent.BUILDING,
        "URB",
        "Legea 50/1991, art. 7",
        30,
        CALENDAR,
        "certificat-urbanism",
        "building-permit",
        "Autorizație de desființare",
        _body(
            "autorizează desființarea construcției situate la adresa {{ values.adresa_imobil }}, număr cadastral "
            "{{ values.nr_cadastral }}, conform documentației tehnice D.T.A.D."
        ),
        [ID_CARD, ("Certificatul de urbanism", ""), ("Documentația tehnică D.T.A.D.", "")],
        [_ADDRESS, _CADASTRAL],
    ),
    ServiceSpec(
        "certificat-nomenclatura-stradala",
        "Certificat de nomenclatură stradală și adresă",
        "Atestă adresa poștală a unui imobil (pentru notar, carte funciară, branșamente).",
        LifeEvent.BUILDING,
        "URB",
        "Legea 7/1996; Ordinul MDRAP 448/2016",
        None,
        CALENDAR,
        "adeverinta-simpla",
        "service-request",
        "Certificat de nomenclatură stradală și adresă",
        _body(
            "certifică faptul că imobilul cu numărul cadastral {{ values.nr_cadastral }} are adresa: "
            "{{ values.adresa_imobil }}."
        ),
        [ID_CARD, ("Extras de carte funciară", "")],
        [_ADDRESS, _CADASTRAL],
    ),
    ServiceSpec(
        "declaratie-fiscala-cladiri",
        "Declarație fiscală pentru clădiri",
        "Declarați o clădire dobândită, construită sau modificată, în 30 de zile de la dobândire.",
        LifeEvent.TAXES,
        "TAX",
        "Legea 227/2015 (Codul fiscal), Titlul IX, art. 461",
        None,
        CALENDAR,
        "adeverinta-simpla",
        "service-request",
        "Confirmarea înregistrării declarației fiscale pentru clădiri",
        _body(
            "confirmă înregistrarea declarației fiscale pentru clădirea situată la adresa {{ values.adresa_imobil }}, "
            "dobândită la data de {{ values.data_dobandirii }}. "
            "Impozitul se datorează de la 1 ianuarie a anului următor."
        ),
        [ID_CARD, ("Actul de proprietate", "Contract, certificat de moștenitor, proces-verbal de recepție.")],
        [_ADDRESS, _ACQUIRED, FieldSpec("suprafata", "Suprafața construită desfășurată (m²)", FieldKind.NUMBER)],
    ),
    ServiceSpec(
        "declaratie-fiscala-teren",
        "Declarație fiscală pentru teren",
        "Declarați un teren dobândit, în 30 de zile de la dobândire.",
        LifeEvent.TAXES,
        "TAX",
        "Legea 227/2015 (Codul fiscal), Titlul IX, art. 466",
        None,
        CALENDAR,
        "adeverinta-simpla",
        "service-request",
        "Confirmarea înregistrării declarației fiscale pentru teren",
        _body(
            "confirmă înregistrarea declarației fiscale pentru terenul cu numărul cadastral {{ values.nr_cadastral }}, "
            "dobândit la data de {{ values.data_dobandirii }}."
        ),
        [ID_CARD, ("Actul de proprietate", "")],
        [_CADASTRAL, _ACQUIRED, FieldSpec("suprafata", "Suprafața (m²)", FieldKind.NUMBER)],
    ),
    ServiceSpec(
        "declaratie-fiscala-mijloace-transport",
        "Declarație fiscală pentru mijloace de transport",
        "Declarați un vehicul dobândit, în 30 de zile de la dobândire.",
        LifeEvent.VEHICLES,
        "TAX",
        "Legea 227/2015 (Codul fiscal), Titlul IX, art. 471",
        None,
        CALENDAR,
        "adeverinta-simpla",
        "service-request",
        "Confirmarea înregistrării declarației fiscale pentru mijlocul de transport",
        _body(
            "confirmă înregistrarea declarației fiscale pentru vehiculul {{ values.marca }}, "
            "număr de înmatriculare {{ values.nr_inmatriculare }}, dobândit la data de {{ values.data_dobandirii }}."
        ),
        [ID_CARD, ("Contractul de vânzare-cumpărare sau factura", ""), ("Cartea de identitate a vehiculului", "")],
        [*_VEHICLE, _ACQUIRED],
    ),
    ServiceSpec(
        "scoatere-din-evidenta-vehicul",
        "Scoaterea din evidența fiscală a unui vehicul",
        "Pentru un vehicul vândut, radiat sau furat: impozitul încetează de la 1 ianuarie a anului următor.",
        LifeEvent.VEHICLES,
        "TAX",
        "Legea 227/2015 (Codul fiscal), art. 471 alin. (3)",
        None,
        CALENDAR,
        "adeverinta-simpla",
        "service-request",
        "Certificat de scoatere din evidența fiscală a mijlocului de transport",
        _body(
            "certifică scoaterea din evidența fiscală a vehiculului {{ values.marca }}, număr de înmatriculare "
            "{{ values.nr_inmatriculare }}, motivul: {{ values.motiv }}."
        ),
        [ID_CARD, ("Actul care dovedește înstrăinarea sau radierea", "")],
        [*_VEHICLE, FieldSpec("motiv", "Motivul", FieldKind.CHOICE, choices="Vânzare\nRadiere\nFurt\nExport")],
    ),
    ServiceSpec(
        "adeverinta-rol-agricol",
        "Adeverință de rol agricol",
        "Atestă înscrierea în registrul agricol (terenuri, animale), de exemplu pentru APIA sau burse.",
        LifeEvent.AGRICULTURE,
        "RAG",
        "OG 28/2008 privind registrul agricol",
        None,
        CALENDAR,
        "adeverinta-simpla",
        "service-request",
        "Adeverință de rol agricol",
        _body(
            "adeverește că solicitantul figurează înscris în registrul agricol al municipiului. "
            "Adeverința se eliberează pentru: {{ values.scop }}."
        ),
        [ID_CARD],
        [FieldSpec("scop", "Pentru ce vă trebuie adeverința")],
    ),
    ServiceSpec(
        "declaratie-registrul-agricol",
        "Declarație pentru registrul agricol",
        "Declarația anuală (5 ianuarie – sfârșitul lui februarie) sau la o schimbare.",
        LifeEvent.AGRICULTURE,
        "RAG",
        "OG 28/2008; Normele tehnice aprobate prin ordin comun",
        None,
        CALENDAR,
        "adeverinta-simpla",
        "service-request",
        "Confirmarea înscrierii în registrul agricol",
        _body("confirmă înscrierea datelor declarate în registrul agricol: {{ values.declarat }}."),
        [ID_CARD],
        [FieldSpec("declarat", "Ce declarați (terenuri, animale)", FieldKind.ADDRESS)],
    ),
    ServiceSpec(
        "acord-de-functionare",
        "Acord de funcționare pentru activități comerciale",
        "Pentru magazine, alimentație publică și servicii de piață.",
        LifeEvent.BUSINESS,
        "URB",
        "OG 99/2000 privind comercializarea produselor și serviciilor de piață",
        None,
        CALENDAR,
        "adeverinta-simpla",
        "service-request",
        "Acord de funcționare",
        _body(
            "acordă societății {{ values.firma }} (CUI {{ values.cui }}) acordul de funcționare pentru activitatea "
            "„{{ values.activitate }}”, desfășurată la adresa {{ values.adresa_imobil }}, cu orarul {{ values.orar }}."
        ),
        [("Certificatul de înregistrare ONRC", ""), ("Actul de folosință a spațiului", "")],
        [
            FieldSpec("firma", "Denumirea firmei"),
            FieldSpec("cui", "CUI"),
            FieldSpec("activitate", "Activitatea (cod CAEN și descriere)"),
            _ADDRESS,
            FieldSpec("orar", "Orarul de funcționare"),
        ],
        applicant_kind=ApplicantKind.COMPANY,
    ),
    ServiceSpec(
        "audienta-la-primar",
        "Programare la audiență la primar",
        "Cereți o audiență; primiți data și ora programării.",
        LifeEvent.CITY_HALL,
        "PRIM",
        "OG 27/2002; Regulamentul de organizare și funcționare",
        None,
        CALENDAR,
        "adeverinta-simpla",
        "service-request",
        "Programare la audiență",
        _body("vă comunică programarea la audiența la primar pentru problema: {{ values.problema }}."),
        [],
        [FieldSpec("problema", "Problema pe care doriți să o discutați", FieldKind.ADDRESS)],
    ),
    ServiceSpec(
        "transcriere-act-stare-civila",
        "Transcrierea unui act de stare civilă întocmit în străinătate",
        "Naștere, căsătorie sau deces înregistrate în străinătate, transcrise în registrele românești.",
        LifeEvent.CIVIL_STATUS,
        "SCV",
        "Legea 119/1996, art. 41",
        60,
        CALENDAR,
        "adeverinta-simpla",
        "civil-status-transcription",
        "Comunicare privind transcrierea actului de stare civilă",
        _body(
            "vă comunică faptul că actul de {{ values.tip_act }} întocmit în {{ values.tara }} a fost transcris "
            "în registrele de stare civilă. Certificatul românesc se ridică de la sediul primăriei."
        ),
        [ID_CARD, ("Certificatul străin, tradus și legalizat (apostilat)", "")],
        [
            FieldSpec("tip_act", "Tipul actului", FieldKind.CHOICE, choices="naștere\ncăsătorie\ndeces"),
            FieldSpec("tara", "Țara în care a fost întocmit"),
            FieldSpec("data_evenimentului", "Data evenimentului", FieldKind.DATE),
        ],
        completion_stops_clock=True,
    ),
    ServiceSpec(
        "reconstituire-act-stare-civila",
        "Reconstituirea sau întocmirea ulterioară a unui act de stare civilă",
        "Când registrul a fost pierdut sau distrus ori actul nu a fost întocmit la timp.",
        LifeEvent.CIVIL_STATUS,
        "SCV",
        "Legea 119/1996, art. 52–53",
        30,
        CALENDAR,
        "adeverinta-simpla",
        "civil-status",
        "Dispoziție privind reconstituirea actului de stare civilă",
        _body("a aprobat reconstituirea actului de {{ values.tip_act }} din data de {{ values.data_evenimentului }}."),
        [ID_CARD, ("Dovezi privind evenimentul", "Orice act din care rezultă evenimentul.")],
        [
            FieldSpec("tip_act", "Tipul actului", FieldKind.CHOICE, choices="naștere\ncăsătorie\ndeces"),
            FieldSpec("data_evenimentului", "Data evenimentului", FieldKind.DATE),
        ],
        completion_stops_clock=True,
    ),
    ServiceSpec(
        "informatii-de-interes-public",
        "Solicitare de informații de interes public",
        "Orice persoană poate cere informații de interes public, fără să-și motiveze cererea.",
        LifeEvent.CITY_HALL,
        "JUR",
        "Legea 544/2001, art. 7",
        10,
        CALENDAR,
        "petitie",
        "public-information",
        "Răspuns la solicitarea de informații de interes public",
        _body("vă comunică, în legătură cu informațiile solicitate („{{ values.informatii }}”), următoarele:"),
        [],
        [
            FieldSpec("informatii", "Informațiile solicitate", FieldKind.ADDRESS),
            FieldSpec("format", "Cum doriți răspunsul", FieldKind.CHOICE, choices="electronic\npe hârtie"),
        ],
    ),
]


def _document_types() -> dict[str, DocumentType]:
    ensure_reference_data()
    for code, name, days, kind, basis in EXTRA_DOCUMENT_TYPES:
        DocumentType.objects.get_or_create(
            code=code, defaults={"name": name, "deadline_days": days, "deadline_kind": kind, "legal_basis": basis}
        )
    return {t.code: t for t in DocumentType.objects.all()}


# The archival file code (nomenclator) each demo service's requests are filed under, when the
# institution's nomenclator has it (the demo's does; another city hall sets its own in the admin).
FILE_CODES = {
    "certificat-de-atestare-fiscala": "III/B/4",
    "certificat-de-urbanism": "IV/A/1",
    "autorizatie-de-construire": "IV/A/2",
    "autorizatie-de-desfiintare": "IV/A/2",
    "certificat-nomenclatura-stradala": "IV/A/8",
    "declaratie-fiscala-cladiri": "III/B/3",
    "declaratie-fiscala-teren": "III/B/3",
    "declaratie-fiscala-mijloace-transport": "III/B/3",
    "scoatere-din-evidenta-vehicul": "III/B/3",
    "adeverinta-rol-agricol": "II/E/3",
    "declaratie-registrul-agricol": "II/E/2",
    "acord-de-functionare": "IV/A/6",
    "audienta-la-primar": "I/A/3",
    "transcriere-act-stare-civila": "II/D/4",
}


def ensure_demo_services(*, publish: bool = True, actor: Any = None) -> list[Service]:
    """Create the demo services that are missing (and what they need); return those created."""
    departments = {
        code: Department.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in DEPARTMENTS.items()
    }
    ensure_standard_procedures(departments={"taxes": "TAX", "urbanism": "URB", "legal": "JUR"}, actor=actor)
    procedures = {p.code: p for p in ProcedureDefinition.objects.all()}
    document_types = _document_types()
    created: list[Service] = []
    for order, spec in enumerate(SERVICES):
        with transaction.atomic():
            if Service.objects.filter(code=spec.code).exists():
                continue
            service = Service.objects.create(
                code=spec.code,
                name=spec.name,
                description=spec.description,
                life_event=spec.life_event,
                department=departments[spec.department],
                applicant_kind=spec.applicant_kind,
                legal_basis=spec.legal_basis,
                fee=spec.fee,
                deadline_days=spec.deadline_days,
                deadline_kind=spec.deadline_kind,
                procedure=procedures[spec.procedure],
                document_type=document_types[spec.document_type],
                file_code=NomenclatorEntry.objects.filter(code=FILE_CODES.get(spec.code, ""), is_active=True).first(),
                completion_stops_clock=spec.completion_stops_clock,
                output_title=spec.output_title,
                output_template=spec.output_template,
                is_published=publish,
                order=order,
            )
            ServiceDocument.objects.bulk_create(
                [
                    ServiceDocument(service=service, name=name, description=description, order=i)
                    for i, (name, description) in enumerate(spec.documents)
                ]
            )
            ServiceField.objects.bulk_create(
                [
                    ServiceField(
                        service=service,
                        name=f.name,
                        label=f.label,
                        kind=f.kind,
                        required=f.required,
                        choices=f.choices,
                        help_text=f.help_text,
                        order=i,
                    )
                    for i, f in enumerate(spec.fields)
                ]
            )
            created.append(service)
    return created
