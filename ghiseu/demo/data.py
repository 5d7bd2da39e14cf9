"""Demo data for Primăria Municipiului Lupeni (județul Hunedoara, about 20,000 inhabitants).

Everything here is plain data: the organigram, the archival nomenclator, the staff, and the
vocabulary the registry history is drawn from (people, companies, institutions, streets,
subjects per document type). The people and companies are invented; the institutions,
laws and retention periods are the real ones a primărie in Hunedoara deals with.

Nomenclator codes follow the form used in practice: Roman numeral (directorate) / letter
(department) / number (file), e.g. `III/B/4`. Retention is in years; None means permanent.
Retention periods follow Legea 16/1996 and the nomenclators approved for primării by the
county services of the National Archives; accounting records follow Legea 82/1991 art. 25
(registers and supporting documents 10 years, payroll 50 years).
"""

from __future__ import annotations

from typing import NamedTuple

from ghiseu.accounts.models import Role

DEMO_PASSWORD = "ghiseu-demo"  # noqa: S105 - the published password of the demo, never of a real deployment


class DepartmentSpec(NamedTuple):
    code: str
    name: str
    parent: str | None
    email: str


# The organigram. Directorates are departments too (parents of their compartments).
DEPARTMENTS: list[DepartmentSpec] = [
    DepartmentSpec("PRIM", "Cabinet Primar", None, "cabinet@primarialupeni.ro"),
    DepartmentSpec("AUD", "Audit public intern", "PRIM", "audit@primarialupeni.ro"),
    DepartmentSpec("SVSU", "Protecție civilă și situații de urgență", "PRIM", "svsu@primarialupeni.ro"),
    DepartmentSpec("SG", "Secretar general", None, "secretar@primarialupeni.ro"),
    DepartmentSpec("JUR", "Juridic și contencios administrativ", "SG", "juridic@primarialupeni.ro"),
    DepartmentSpec("REG", "Registratură și relații cu publicul", "SG", "registratura@primarialupeni.ro"),
    DepartmentSpec("SCV", "Stare civilă", "SG", "starecivila@primarialupeni.ro"),
    DepartmentSpec("RAG", "Registrul agricol și fond funciar", "SG", "agricol@primarialupeni.ro"),
    DepartmentSpec("ARH", "Arhivă", "SG", "arhiva@primarialupeni.ro"),
    DepartmentSpec("DE", "Direcția economică", None, "economic@primarialupeni.ro"),
    DepartmentSpec("BUG", "Buget-contabilitate", "DE", "contabilitate@primarialupeni.ro"),
    DepartmentSpec("TAX", "Taxe și impozite locale", "DE", "taxe@primarialupeni.ro"),
    DepartmentSpec("ACH", "Achiziții publice", "DE", "achizitii@primarialupeni.ro"),
    DepartmentSpec("RU", "Resurse umane", "DE", "resurseumane@primarialupeni.ro"),
    DepartmentSpec("DT", "Direcția tehnică", None, "tehnic@primarialupeni.ro"),
    DepartmentSpec("URB", "Urbanism și amenajarea teritoriului", "DT", "urbanism@primarialupeni.ro"),
    DepartmentSpec("PAT", "Patrimoniu", "DT", "patrimoniu@primarialupeni.ro"),
    DepartmentSpec("ADP", "Administrarea domeniului public", "DT", "domeniupublic@primarialupeni.ro"),
    DepartmentSpec("INV", "Investiții și proiecte europene", "DT", "investitii@primarialupeni.ro"),
    DepartmentSpec("IT", "Informatică", "DT", "it@primarialupeni.ro"),
    DepartmentSpec("DAS", "Asistență socială", None, "social@primarialupeni.ro"),
    DepartmentSpec("PL", "Poliția locală", None, "politialocala@primarialupeni.ro"),
]


class NomenclatorSpec(NamedTuple):
    code: str
    name: str
    department: str
    retention_years: int | None  # None: permanent
    legal_basis: str


P = None  # permanent
_ARH = "Legea 16/1996; nomenclator confirmat de SJAN Hunedoara"
_CONT = "Legea 82/1991, art. 25"

NOMENCLATOR: list[NomenclatorSpec] = [
    # I — Primar
    NomenclatorSpec("I/A/1", "Dispoziții ale primarului", "PRIM", P, "OUG 57/2019, art. 196; " + _ARH),
    NomenclatorSpec("I/A/2", "Registrul de evidență a dispozițiilor primarului", "PRIM", P, _ARH),
    NomenclatorSpec("I/A/3", "Registrul de audiențe și cererile de audiență la primar", "PRIM", 5, _ARH),
    NomenclatorSpec("I/A/4", "Corespondență cu instituții publice, persoane fizice și juridice", "PRIM", 3, _ARH),
    NomenclatorSpec(
        "I/A/5", "Rapoarte anuale privind starea economică, socială și de mediu a municipiului", "PRIM", P, _ARH
    ),
    NomenclatorSpec("I/B/1", "Rapoarte de audit public intern", "AUD", 10, "Legea 672/2002; " + _ARH),
    NomenclatorSpec("I/B/2", "Planul anual și planul multianual de audit public intern", "AUD", 10, _ARH),
    NomenclatorSpec(
        "I/C/1", "Hotărâri și procese-verbale ale Comitetului local pentru situații de urgență", "SVSU", P, _ARH
    ),
    NomenclatorSpec("I/C/2", "Corespondență cu ISU Hunedoara privind situațiile de urgență", "SVSU", 5, _ARH),
    # II — Secretar general
    NomenclatorSpec("II/A/1", "Hotărâri ale Consiliului Local", "SG", P, "OUG 57/2019, art. 140; " + _ARH),
    NomenclatorSpec(
        "II/A/2", "Dosarele ședințelor Consiliului Local (procese-verbale, proiecte, rapoarte, avize)", "SG", P, _ARH
    ),
    NomenclatorSpec("II/A/3", "Registrul de evidență a hotărârilor Consiliului Local", "SG", P, _ARH),
    NomenclatorSpec("II/A/4", "Documente privind organizarea alegerilor locale și generale", "SG", P, _ARH),
    NomenclatorSpec(
        "II/A/5", "Corespondență cu Instituția Prefectului și cu Consiliul Județean Hunedoara", "SG", 5, _ARH
    ),
    NomenclatorSpec(
        "II/A/6", "Sesizări pentru deschiderea procedurilor succesorale", "SG", 10, "Legea 36/1995; " + _ARH
    ),
    NomenclatorSpec("II/B/1", "Dosare în litigiu: acțiuni, întâmpinări, căi de atac", "JUR", 10, _ARH),
    NomenclatorSpec("II/B/2", "Hotărâri judecătorești definitive în care municipiul este parte", "JUR", P, _ARH),
    NomenclatorSpec("II/B/3", "Contracte, convenții și avize de legalitate", "JUR", 10, _ARH),
    NomenclatorSpec("II/C/1", "Registrul general de intrare-ieșire a documentelor", "REG", 10, _ARH),
    NomenclatorSpec(
        "II/C/2", "Petiții, reclamații, sesizări, propuneri și răspunsurile la acestea", "REG", 5, "OG 27/2002; " + _ARH
    ),
    NomenclatorSpec(
        "II/C/3",
        "Solicitări de informații de interes public și răspunsurile la acestea",
        "REG",
        3,
        "Legea 544/2001; " + _ARH,
    ),
    NomenclatorSpec(
        "II/C/4", "Rapoarte semestriale privind petițiile; rapoarte anuale Legea 544/2001", "REG", 10, _ARH
    ),
    NomenclatorSpec("II/C/5", "Condica de expediere și borderourile poștale", "REG", 5, _ARH),
    NomenclatorSpec(
        "II/D/1", "Registre de stare civilă: naștere, căsătorie, deces", "SCV", P, "Legea 119/1996; " + _ARH
    ),
    NomenclatorSpec("II/D/2", "Dosare de căsătorie: declarații și acte anexate", "SCV", 50, "Legea 119/1996"),
    NomenclatorSpec("II/D/3", "Cereri de eliberare a certificatelor și extraselor de stare civilă", "SCV", 10, _ARH),
    NomenclatorSpec(
        "II/D/4", "Dosare de transcriere a actelor de stare civilă întocmite în străinătate", "SCV", P, "Legea 119/1996"
    ),
    NomenclatorSpec("II/D/5", "Comunicări de mențiuni și dosare de rectificare", "SCV", 50, "Legea 119/1996"),
    NomenclatorSpec("II/E/1", "Registrul agricol", "RAG", P, "OG 28/2008; " + _ARH),
    NomenclatorSpec("II/E/2", "Declarații pentru înscrierea în registrul agricol", "RAG", 10, "OG 28/2008"),
    NomenclatorSpec(
        "II/E/3", "Adeverințe de rol agricol, atestate de producător (cereri și copii)", "RAG", 5, "Legea 145/2014"
    ),
    NomenclatorSpec("II/E/4", "Lucrările comisiei locale de fond funciar", "RAG", P, "Legea 18/1991; " + _ARH),
    NomenclatorSpec("II/F/1", "Registrul de evidență curentă a arhivei", "ARH", P, "Legea 16/1996, anexa 4"),
    NomenclatorSpec(
        "II/F/2", "Inventare și procese-verbale de predare-primire a dosarelor la arhivă", "ARH", P, "Legea 16/1996"
    ),
    NomenclatorSpec("II/F/3", "Procese-verbale ale comisiei de selecționare și liste de eliminare", "ARH", P, _ARH),
    NomenclatorSpec("II/F/4", "Corespondență cu Serviciul Județean Hunedoara al Arhivelor Naționale", "ARH", P, _ARH),
    NomenclatorSpec("II/F/5", "Cereri de copii și adeverințe din arhivă (vechime, salarii)", "ARH", 5, _ARH),
    # III — Direcția economică
    NomenclatorSpec("III/A/1", "Bugetul local, rectificările și contul de execuție", "BUG", P, _ARH),
    NomenclatorSpec("III/A/2", "Situații financiare anuale", "BUG", P, _ARH),
    NomenclatorSpec("III/A/3", "Registrul-jurnal, registrul-inventar și cartea mare", "BUG", 10, _CONT),
    NomenclatorSpec("III/A/4", "Documente justificative: facturi, ordonanțări, ordine de plată", "BUG", 10, _CONT),
    NomenclatorSpec("III/A/5", "State de plată a salariilor", "BUG", 50, _CONT),
    NomenclatorSpec("III/B/1", "Dosare fiscale ale contribuabililor persoane fizice", "TAX", 10, "Legea 207/2015"),
    NomenclatorSpec("III/B/2", "Dosare fiscale ale contribuabililor persoane juridice", "TAX", 10, "Legea 207/2015"),
    NomenclatorSpec(
        "III/B/3", "Declarații fiscale pentru clădiri, terenuri și mijloace de transport", "TAX", 10, "Legea 227/2015"
    ),
    NomenclatorSpec("III/B/4", "Certificate de atestare fiscală (cereri și copii)", "TAX", 5, "Legea 207/2015"),
    NomenclatorSpec("III/B/5", "Dosare de executare silită", "TAX", 10, "Legea 207/2015"),
    NomenclatorSpec("III/B/6", "Corespondență cu ANAF și cu alte organe fiscale", "TAX", 5, _ARH),
    NomenclatorSpec("III/C/1", "Dosarele achizițiilor publice", "ACH", 10, "Legea 98/2016, art. 216"),
    NomenclatorSpec("III/C/2", "Programul anual al achizițiilor publice și referate de necesitate", "ACH", 10, _ARH),
    NomenclatorSpec("III/D/1", "Dosare profesionale și dosare de personal", "RU", P, "HG 611/2008; " + _ARH),
    NomenclatorSpec("III/D/2", "Documente privind concursurile de recrutare și promovare", "RU", 10, _ARH),
    NomenclatorSpec("III/D/3", "Programări și cereri de concediu de odihnă", "RU", 3, _ARH),
    # IV — Direcția tehnică
    NomenclatorSpec("IV/A/1", "Certificate de urbanism (cereri, documentații, copii)", "URB", 30, "Legea 50/1991"),
    NomenclatorSpec("IV/A/2", "Autorizații de construire și de desființare", "URB", P, "Legea 50/1991"),
    NomenclatorSpec(
        "IV/A/3", "Registrul de evidență a certificatelor de urbanism și a autorizațiilor", "URB", P, "Legea 50/1991"
    ),
    NomenclatorSpec("IV/A/4", "Documentații de urbanism: PUG, PUZ, PUD și avizele lor", "URB", P, "Legea 350/2001"),
    NomenclatorSpec("IV/A/5", "Procese-verbale de recepție la terminarea lucrărilor", "URB", P, "HG 343/2017"),
    NomenclatorSpec("IV/A/6", "Acorduri de funcționare pentru activități comerciale", "URB", 5, "OG 99/2000"),
    NomenclatorSpec("IV/A/7", "Control și disciplina în construcții", "URB", 5, "Legea 50/1991"),
    NomenclatorSpec("IV/A/8", "Certificate de nomenclatură stradală și adresă", "URB", 10, _ARH),
    NomenclatorSpec("IV/B/1", "Inventarul bunurilor din domeniul public și privat", "PAT", P, "OUG 57/2019, art. 289"),
    NomenclatorSpec("IV/B/2", "Contracte de concesiune, închiriere și dare în folosință", "PAT", 10, _ARH),
    NomenclatorSpec("IV/B/3", "Cereri de locuințe sociale și repartiții", "PAT", 10, "Legea 114/1996"),
    NomenclatorSpec("IV/C/1", "Întreținerea drumurilor, trotuarelor și iluminatului public", "ADP", 10, _ARH),
    NomenclatorSpec("IV/C/2", "Salubrizare, spații verzi și gestionarea câinilor fără stăpân", "ADP", 5, _ARH),
    NomenclatorSpec("IV/C/3", "Evidența locurilor de veci din cimitirele municipale", "ADP", P, "Legea 102/2014"),
    NomenclatorSpec("IV/D/1", "Documentații tehnico-economice ale obiectivelor de investiții", "INV", P, _ARH),
    NomenclatorSpec("IV/D/2", "Proiecte cu finanțare europeană și națională", "INV", 10, _ARH),
    NomenclatorSpec("IV/E/1", "Documentația sistemelor informatice, licențe și conturi de acces", "IT", 10, _ARH),
    # V — Asistență socială
    NomenclatorSpec("V/A/1", "Dosare de venit minim de incluziune și ajutor de urgență", "DAS", 5, "Legea 196/2016"),
    NomenclatorSpec("V/A/2", "Anchete sociale", "DAS", 5, "Legea 292/2011"),
    NomenclatorSpec(
        "V/A/3", "Dosare ale persoanelor cu handicap și ale asistenților personali", "DAS", 5, "Legea 448/2006"
    ),
    NomenclatorSpec("V/A/4", "Cereri pentru ajutoare de încălzire a locuinței", "DAS", 3, "Legea 226/2021"),
    # VI — Poliția locală
    NomenclatorSpec("VI/A/1", "Procese-verbale de constatare a contravențiilor", "PL", 5, "OG 2/2001"),
    NomenclatorSpec(
        "VI/A/2", "Sesizări privind ordinea publică, circulația și liniștea publică", "PL", 5, "Legea 155/2010"
    ),
    NomenclatorSpec("VI/A/3", "Rapoarte zilnice de activitate", "PL", 10, _ARH),
]


class StaffSpec(NamedTuple):
    username: str
    first_name: str
    last_name: str
    role: str
    department: str
    job_title: str


STAFF: list[StaffSpec] = [
    StaffSpec("admin", "Adrian", "Stoica", Role.ADMIN, "IT", "Administrator de sistem"),
    StaffSpec("primar", "Mihai", "Dragomir", Role.MAYOR, "PRIM", "Primar"),
    StaffSpec("secretar", "Elena", "Bălan", Role.SECRETARY, "SG", "Secretar general al municipiului"),
    StaffSpec("arhivar", "Rodica", "Pop", Role.ARCHIVIST, "ARH", "Arhivar"),
    StaffSpec("registratura", "Ioana", "Mureșan", Role.CLERK, "REG", "Referent registratură"),
    StaffSpec("registratura2", "Daniela", "Neagu", Role.CLERK, "REG", "Referent registratură"),
    StaffSpec("relatii.publice", "Cristina", "Oprea", Role.CLERK, "REG", "Consilier relații cu publicul"),
    StaffSpec("sef.urbanism", "Florin", "Vlad", Role.HEAD, "URB", "Arhitect-șef"),
    StaffSpec("sef.taxe", "Marinela", "Ciobanu", Role.HEAD, "TAX", "Șef serviciu taxe și impozite locale"),
    StaffSpec("sef.social", "Lucia", "Barbu", Role.HEAD, "DAS", "Șef serviciu asistență socială"),
    StaffSpec("sef.tehnic", "Sorin", "Lăzărescu", Role.HEAD, "ADP", "Șef serviciu administrarea domeniului public"),
    StaffSpec("sef.politie", "Cătălin", "Munteanu", Role.HEAD, "PL", "Șef Poliția locală"),
    StaffSpec("urbanism", "Andrei", "Toma", Role.OFFICER, "URB", "Inspector urbanism"),
    StaffSpec("urbanism2", "Raluca", "Sima", Role.OFFICER, "URB", "Inspector disciplina în construcții"),
    StaffSpec("taxe", "Gabriela", "Rusu", Role.OFFICER, "TAX", "Inspector fiscal"),
    StaffSpec("taxe2", "Viorel", "Ardelean", Role.OFFICER, "TAX", "Inspector fiscal"),
    StaffSpec("agricol", "Ion", "Florea", Role.OFFICER, "RAG", "Referent registrul agricol"),
    StaffSpec("stare.civila", "Simona", "Dobre", Role.OFFICER, "SCV", "Ofițer de stare civilă"),
    StaffSpec("social", "Mirela", "Stan", Role.OFFICER, "DAS", "Asistent social"),
    StaffSpec("juridic", "Alexandru", "Moldovan", Role.OFFICER, "JUR", "Consilier juridic"),
    StaffSpec("contabilitate", "Carmen", "Iordache", Role.OFFICER, "BUG", "Consilier contabil"),
    StaffSpec("achizitii", "Bogdan", "Petrescu", Role.OFFICER, "ACH", "Consilier achiziții publice"),
    StaffSpec("patrimoniu", "Nicoleta", "Ene", Role.OFFICER, "PAT", "Referent patrimoniu"),
    StaffSpec("domeniu.public", "Dorin", "Gavrilă", Role.OFFICER, "ADP", "Inspector domeniul public"),
    StaffSpec("resurse.umane", "Adriana", "Tudor", Role.OFFICER, "RU", "Consilier resurse umane"),
]

# --- The vocabulary the registry history is drawn from ---------------------------------

FIRST_NAMES = [
    "Ion", "Gheorghe", "Vasile", "Constantin", "Nicolae", "Mihai", "Dumitru", "Petru", "Ioan", "Florin",
    "Marius", "Adrian", "Cristian", "Daniel", "Sorin", "Liviu", "Cosmin", "Ovidiu", "Radu", "Emil",
    "Maria", "Elena", "Ioana", "Ana", "Mariana", "Gabriela", "Cristina", "Daniela", "Rodica", "Viorica",
    "Lenuța", "Aurelia", "Monica", "Alina", "Andreea", "Simona", "Larisa", "Oana", "Florica", "Delia",
]  # fmt: skip

LAST_NAMES = [
    "Popescu", "Popa", "Pop", "Radu", "Dumitru", "Stan", "Stoica", "Gheorghe", "Matei", "Ciobanu",
    "Rusu", "Munteanu", "Moldovan", "Oprea", "Lungu", "Mureșan", "Toma", "Sârbu", "Barbu", "Nistor",
    "Drăgan", "Bogdan", "Cozma", "Bîrsan", "Jurcă", "Hanea", "Crăciun", "Bălan", "Rad", "Avram",
    "Păun", "Lupu", "Bucur", "Dăscălescu", "Todoran", "Vlaicu", "Hațegan", "Grozav", "Ungureanu", "Morar",
]  # fmt: skip

# Streets of Lupeni and its quarters (Bărbăteni, Ștefan, Braia, Tușu, Viscoza).
STREETS = [
    "Revoluției", "Tudor Vladimirescu", "Viitorului", "Parângului", "Ștefan cel Mare", "Avram Iancu",
    "Nicolae Bălcescu", "Mihai Viteazu", "Minerului", "Trandafirilor", "Brazilor", "Teilor", "Bărbăteni",
    "Stadionului", "1 Decembrie 1918", "Independenței", "Libertății", "Cărbunelui", "Straja", "Bucura",
    "Pieții", "Cuza Vodă", "Sfântu Ilie", "Braia", "Tușu", "Ștefan", "Cimpa", "Ana Ipătescu", "Viscozei",
    "Castanilor", "Aleea Trandafirilor", "Bulevardul Păcii", "Mihai Eminescu", "Crângului",
]  # fmt: skip

QUARTERS = ["Bărbăteni", "Ștefan", "Braia", "Tușu", "Viscoza", "Centru", "Valea Mare", "Straja"]

COMPANIES = [
    "SC Parâng Construct SRL", "SC Jiul Instal SRL", "SC Straja Turism SRL", "SC Montan Drum SRL",
    "SC Valea Jiului Transport SRL", "SC Lupeni Market SRL", "SC Brad Argintiu SRL", "SC Bucura Prest SRL",
    "SC Carbo Service SRL", "SC Viscoza Grup SRL", "SC Termo Confort Jiu SRL", "SC Farmacia Sfântul Ilie SRL",
    "SC Tehno Auto Jiul SRL", "SC Pensiunea Cabana Lupului SRL", "SC Arhitect Design Petroșani SRL",
    "SC Topo Cadastru Hunedoara SRL", "SC Agro Parâng SRL", "SC Panificația Lupeni SRL",
]  # fmt: skip

SUPPLIERS = [
    ("Apa Serv Valea Jiului SA", "AVJ", "apă și canalizare clădiri publice"),
    ("Electrica Furnizare SA", "EFSA", "energie electrică iluminat public"),
    ("SC Salubritate Jiu SRL", "SJ", "servicii de salubrizare"),
    ("SC Montan Drum SRL", "MD", "lucrări de reparații străzi"),
    ("SC Birotica Deva SRL", "BD", "consumabile de birou"),
    ("SC Info Sistem Hunedoara SRL", "ISH", "mentenanță aplicații informatice"),
    ("SC Parâng Construct SRL", "PC", "lucrări de reabilitare"),
    ("Compania Națională Poșta Română SA", "CNPR", "servicii poștale"),
    ("SC Deszăpezire Straja SRL", "DS", "servicii de deszăpezire"),
    ("SC Carbo Service SRL", "CS", "combustibil autospeciale"),
]


class InstitutionSpec(NamedTuple):
    name: str
    department: str
    file_code: str
    subjects: tuple[str, ...]


INSTITUTIONS: list[InstitutionSpec] = [
    InstitutionSpec(
        "Instituția Prefectului — Județul Hunedoara",
        "SG",
        "II/A/5",
        (
            "Adresă privind verificarea legalității hotărârilor Consiliului Local din luna {month}",
            "Solicitare situație privind stadiul aplicării legilor fondului funciar",
            "Adresă privind organizarea exercițiului de alegeri — măsuri logistice",
            "Ordin al prefectului privind constituirea comisiei de evaluare a pagubelor",
            "Solicitare raportare privind plata indemnizațiilor asistenților personali",
        ),
    ),
    InstitutionSpec(
        "ANAF — Administrația Județeană a Finanțelor Publice Hunedoara",
        "TAX",
        "III/B/6",
        (
            "Solicitare informații privind bunurile impozabile ale contribuabilului {person}",
            "Adresă de înființare a popririi pentru debitorul {person}",
            "Solicitare de compensare a obligațiilor fiscale",
            "Comunicare privind cotele defalcate din impozitul pe venit, luna {month}",
        ),
    ),
    InstitutionSpec(
        "Casa Județeană de Pensii Hunedoara",
        "ARH",
        "II/F/5",
        (
            "Solicitare adeverință de vechime și sporuri pentru {person}, fost angajat al EM Lupeni",
            "Cerere de verificare a carnetului de muncă pentru recalcularea pensiei — {person}",
        ),
    ),
    InstitutionSpec(
        "Agenția Județeană pentru Plăți și Inspecție Socială Hunedoara",
        "DAS",
        "V/A/1",
        (
            "Comunicare privind plata venitului minim de incluziune, luna {month}",
            "Solicitare actualizare date beneficiari ajutor de încălzire",
            "Notă de control privind dosarele de indemnizație pentru creșterea copilului",
        ),
    ),
    InstitutionSpec(
        "Inspectoratul pentru Situații de Urgență „Iancu de Hunedoara” al județului Hunedoara",
        "SVSU",
        "I/C/2",
        (
            "Avertizare meteorologică: cod galben de ninsori și viscol în Valea Jiului",
            "Adresă privind actualizarea Planului de analiză și acoperire a riscurilor",
            "Informare privind exercițiul de alarmare publică din luna {month}",
        ),
    ),
    InstitutionSpec(
        "Garda Națională de Mediu — Comisariatul Județean Hunedoara",
        "ADP",
        "IV/C/2",
        (
            "Notă de constatare privind depozitarea deșeurilor pe malul Jiului de Vest",
            "Solicitare măsuri privind igienizarea zonei Braia",
        ),
    ),
    InstitutionSpec(
        "Arhivele Naționale — Serviciul Județean Hunedoara",
        "ARH",
        "II/F/4",
        (
            "Adresă privind confirmarea nomenclatorului arhivistic actualizat",
            "Proces-verbal de control privind activitatea de arhivă",
            "Solicitare de depunere a documentelor permanente mai vechi de 30 de ani",
        ),
    ),
    InstitutionSpec(
        "Consiliul Județean Hunedoara",
        "SG",
        "II/A/5",
        (
            "Adresă privind programul județean de reabilitare a drumurilor din Valea Jiului",
            "Invitație la consultarea publică privind strategia de dezvoltare a județului",
        ),
    ),
    InstitutionSpec(
        "Curtea de Conturi — Camera de Conturi Hunedoara",
        "BUG",
        "III/A/4",
        (
            "Notificare privind misiunea de audit financiar asupra contului de execuție pe anul {prev_year}",
            "Solicitare documente privind execuția bugetară",
        ),
    ),
    InstitutionSpec(
        "Oficiul de Cadastru și Publicitate Imobiliară Hunedoara",
        "RAG",
        "II/E/4",
        (
            "Adresă privind programul național de cadastru — sectoarele cadastrale din Lupeni",
            "Solicitare documente pentru înscrierea în cartea funciară a terenurilor din domeniul public",
        ),
    ),
    InstitutionSpec(
        "Inspectoratul de Poliție Județean Hunedoara — Poliția Municipiului Lupeni",
        "PL",
        "VI/A/2",
        (
            "Solicitare sprijin pentru asigurarea ordinii publice la manifestările Zilele Lupeniului",
            "Adresă privind autovehiculele fără stăpân de pe domeniul public",
            "Solicitare relații privind domiciliul numitului {person}",
        ),
    ),
    InstitutionSpec(
        "Direcția de Sănătate Publică Hunedoara",
        "DAS",
        "V/A/2",
        ("Informare privind campania de vaccinare", "Adresă privind condițiile igienico-sanitare din școli"),
    ),
    InstitutionSpec(
        "Direcția Generală de Asistență Socială și Protecția Copilului Hunedoara",
        "DAS",
        "V/A/2",
        (
            "Solicitare anchetă socială pentru minorul {person}",
            "Solicitare reevaluare a situației familiei {person}",
        ),
    ),
    InstitutionSpec(
        "Agenția Națională a Funcționarilor Publici",
        "RU",
        "III/D/2",
        ("Solicitare raportare privind funcțiile publice", "Aviz privind structura funcțiilor publice"),
    ),
    InstitutionSpec(
        "Agenția pentru Dezvoltare Regională Vest",
        "INV",
        "IV/D/2",
        (
            "Notificare privind aprobarea cererii de finanțare pentru reabilitarea termică a școlii",
            "Solicitare clarificări la cererea de rambursare nr. {ref}",
        ),
    ),
    InstitutionSpec(
        "Inspectoratul Școlar Județean Hunedoara",
        "SG",
        "II/A/5",
        ("Adresă privind rețeaua școlară a municipiului Lupeni pentru anul școlar următor",),
    ),
    InstitutionSpec(
        "Avocatul Poporului",
        "JUR",
        "II/B/3",
        ("Solicitare de informații privind petiția numitului {person}",),
    ),
]

# The court numbering code of each court (the middle part of a file number, e.g. 1234/278/2026).
COURTS = [
    ("Judecătoria Petroșani", 278),
    ("Tribunalul Hunedoara", 97),
    ("Curtea de Apel Alba Iulia", 57),
]
COURT_SUBJECTS = [
    "Citație pentru termenul din {date} în dosarul nr. {file} (contestație la procesul-verbal de contravenție)",
    "Citație în dosarul nr. {file} — acțiune în contencios administrativ privind hotărârea Consiliului Local",
    "Comunicare sentință civilă în dosarul nr. {file}",
    "Cerere de chemare în judecată — obligația de a emite autorizația de construire, dosar nr. {file}",
    "Adresă privind relații despre imobilul din str. {street} nr. {n}, dosar nr. {file}",
    "Comunicare cerere de apel în dosarul nr. {file}",
]

NEWSROOMS = ["Redacția „Cronica Văii Jiului”", "Asociația Civică „Lupeni Activ”", "Asociația „Valea Verde”"]


class TopicSpec(NamedTuple):
    document_type: str  # petition, complaint or report
    department: str
    file_code: str
    subject: str
    outcome: str


# Petitions, complaints and reports (OG 27/2002) and where they go.
TOPICS: list[TopicSpec] = [
    TopicSpec(
        "report",
        "ADP",
        "IV/C/1",
        "Sesizare privind iluminatul public nefuncțional pe str. {street}, între blocurile {bl} și {bl2}",
        "Corpurile de iluminat au fost înlocuite de operatorul iluminatului public",
    ),
    TopicSpec(
        "report",
        "ADP",
        "IV/C/1",
        "Sesizare privind gropile din carosabil pe str. {street}",
        "Lucrarea a fost inclusă în programul de plombări; petentul a fost informat",
    ),
    TopicSpec(
        "petition",
        "ADP",
        "IV/C/1",
        "Cerere de reparare a trotuarului din fața imobilului str. {street} nr. {n}",
        "Trotuarul a fost reparat în cadrul contractului de întreținere",
    ),
    TopicSpec(
        "petition",
        "ADP",
        "IV/C/1",
        "Solicitare de deszăpezire și împrăștiere de material antiderapant pe str. {street}",
        "Strada a fost deszăpezită; s-a răspuns petentului",
    ),
    TopicSpec(
        "complaint",
        "ADP",
        "IV/C/2",
        "Reclamație: containerele de deșeuri de lângă blocul {bl}, str. {street}, nu au fost golite de {days} zile",
        "Operatorul de salubrizare a fost notificat; containerele au fost golite",
    ),
    TopicSpec(
        "report",
        "ADP",
        "IV/C/2",
        "Sesizare privind depozitarea necontrolată de deșeuri în zona {quarter}",
        "Zona a fost igienizată; s-au aplicat sancțiuni contravenționale",
    ),
    TopicSpec(
        "report",
        "ADP",
        "IV/C/2",
        "Sesizare privind câinii fără stăpân din cartierul {quarter}",
        "Echipa de ecarisaj a intervenit; răspuns transmis petentului",
    ),
    TopicSpec(
        "petition",
        "ADP",
        "IV/C/2",
        "Cerere de toaletare a arborilor periculoși din fața blocului {bl}, str. {street}",
        "Arborii au fost toaletați cu avizul comisiei pentru spații verzi",
    ),
    TopicSpec(
        "complaint",
        "PL",
        "VI/A/2",
        "Reclamație privind tulburarea liniștii publice la adresa str. {street} nr. {n}",
        "Poliția locală a verificat și a aplicat avertisment contravențional",
    ),
    TopicSpec(
        "report",
        "PL",
        "VI/A/2",
        "Sesizare privind parcarea neregulamentară pe str. {street}",
        "S-au efectuat controale; au fost aplicate amenzi",
    ),
    TopicSpec(
        "report",
        "PL",
        "VI/A/2",
        "Sesizare privind un autovehicul abandonat pe domeniul public, str. {street}",
        "Proprietarul a fost somat să ridice autovehiculul",
    ),
    TopicSpec(
        "complaint",
        "URB",
        "IV/A/7",
        "Reclamație privind executarea unei construcții fără autorizație la str. {street} nr. {n}",
        "Control efectuat; proces-verbal de contravenție și somație de intrare în legalitate",
    ),
    TopicSpec(
        "report",
        "DAS",
        "V/A/2",
        "Sesizare privind o persoană vârstnică singură, fără sprijin, str. {street} nr. {n}",
        "Anchetă socială efectuată; persoana a fost inclusă în serviciul de îngrijire la domiciliu",
    ),
    TopicSpec(
        "complaint",
        "TAX",
        "III/B/1",
        "Contestație privind impozitul pe clădiri stabilit pentru imobilul din str. {street} nr. {n}",
        "Impozitul a fost recalculat conform documentelor depuse",
    ),
    TopicSpec(
        "petition",
        "PRIM",
        "I/A/4",
        "Propunere de amenajare a unui loc de joacă pentru copii în cartierul {quarter}",
        "Propunerea a fost inclusă în lista de investiții pentru anul următor",
    ),
    TopicSpec(
        "petition",
        "ADP",
        "IV/C/1",
        "Solicitare de montare a unor limitatoare de viteză pe str. {street}, lângă școală",
        "Limitatoarele au fost montate cu avizul Poliției rutiere",
    ),
    TopicSpec(
        "report",
        "REG",
        "II/C/2",
        "Sesizare privind lipsa apei potabile pe str. {street}",
        "Redirecționată către Apa Serv Valea Jiului SA în 5 zile; petentul a fost înștiințat (OG 27/2002, art. 6^1)",
    ),
    TopicSpec(
        "petition",
        "PAT",
        "IV/B/2",
        "Cerere de reglementare a situației garajelor de pe str. {street}",
        "Răspuns transmis: terenul se poate închiria prin licitație publică",
    ),
]


class RequestSpec(NamedTuple):
    department: str
    file_code: str
    subject: str
    outcome: str


SERVICE_REQUESTS: list[RequestSpec] = [
    RequestSpec("RAG", "II/E/3", "Cerere de eliberare a adeverinței de rol agricol", "Adeverință eliberată"),
    RequestSpec(
        "RAG", "II/E/3", "Cerere de atestat de producător și carnet de comercializare", "Atestat de producător eliberat"
    ),
    RequestSpec(
        "RAG",
        "II/E/2",
        "Declarație pentru înscrierea în registrul agricol — gospodăria din str. {street} nr. {n}",
        "Înscris în registrul agricol",
    ),
    RequestSpec(
        "URB",
        "IV/A/6",
        "Cerere de acord de funcționare pentru {activity}, str. {street} nr. {n}",
        "Acord de funcționare emis",
    ),
    RequestSpec(
        "URB",
        "IV/A/8",
        "Cerere de certificat de nomenclatură stradală pentru imobilul din str. {street} nr. {n}",
        "Certificat de nomenclatură stradală eliberat",
    ),
    RequestSpec(
        "DAS",
        "V/A/4",
        "Cerere de ajutor pentru încălzirea locuinței în sezonul rece",
        "Ajutor acordat prin dispoziția primarului",
    ),
    RequestSpec("DAS", "V/A/1", "Cerere de venit minim de incluziune", "Dosar aprobat prin dispoziția primarului"),
    RequestSpec(
        "DAS", "V/A/1", "Cerere de ajutor de urgență în urma unui incendiu la locuință", "Ajutor de urgență acordat"
    ),
    RequestSpec(
        "DAS", "V/A/3", "Cerere de angajare ca asistent personal al persoanei cu handicap grav", "Contract încheiat"
    ),
    RequestSpec(
        "TAX",
        "III/B/3",
        "Cerere de scoatere din evidența fiscală a autoturismului {car}, nr. HD-{plate}",
        "Autoturism scos din evidență",
    ),
    RequestSpec(
        "TAX",
        "III/B/3",
        "Declarație fiscală pentru stabilirea impozitului pe clădiri — str. {street} nr. {n}",
        "Impozit stabilit; decizie de impunere comunicată",
    ),
    RequestSpec(
        "TAX", "III/B/1", "Cerere de restituire a sumelor plătite în plus la impozitul pe teren", "Sume restituite"
    ),
    RequestSpec(
        "ADP", "IV/C/3", "Cerere de concesionare a unui loc de veci în cimitirul municipal", "Loc de veci atribuit"
    ),
    RequestSpec(
        "PAT",
        "IV/B/3",
        "Cerere de atribuire a unei locuințe sociale (Legea 114/1996)",
        "Cerere înscrisă pe lista de priorități",
    ),
    RequestSpec(
        "PAT",
        "IV/B/2",
        "Cerere de închiriere a terenului pentru garaj pe str. {street}",
        "Contract de închiriere încheiat",
    ),
    RequestSpec("PRIM", "I/A/3", "Cerere de audiență la primar privind {audience}", "Audiență acordată"),
    RequestSpec(
        "ARH",
        "II/F/5",
        "Cerere de adeverință de vechime în muncă pentru perioada lucrată la EM Lupeni",
        "Adeverință eliberată din fondul arhivistic",
    ),
    RequestSpec(
        "ADP",
        "IV/C/1",
        "Cerere de aviz pentru spargerea domeniului public — racord la gaze, str. {street}",
        "Aviz emis",
    ),
    RequestSpec(
        "PL", "VI/A/2", "Cerere de permis de acces pentru autovehicule peste 3,5 t pe str. {street}", "Permis eliberat"
    ),
    RequestSpec(
        "SG",
        "II/A/6",
        "Cerere de deschidere a procedurii succesorale după defunctul {person}",
        "Sesizare transmisă notarului public",
    ),
]

ACTIVITIES = ["magazin alimentar", "cafenea", "atelier auto", "frizerie", "pensiune turistică", "brutărie", "farmacie"]
AUDIENCES = [
    "repartizarea unei locuințe sociale",
    "starea drumului din cartierul Braia",
    "un loc de muncă în primărie",
    "alimentarea cu apă în zona Tușu",
    "transportul public spre Petroșani",
]
CARS = ["Dacia Logan", "Dacia Sandero", "Volkswagen Golf", "Opel Astra", "Ford Focus", "Renault Clio", "Skoda Octavia"]

URBANISM_PURPOSES = [
    "construirea unei locuințe unifamiliale P+1E",
    "extinderea locuinței existente",
    "racordarea la rețeaua de gaze naturale",
    "construirea unui garaj",
    "informare — vânzare-cumpărare",
    "dezmembrarea terenului",
    "intabularea construcției existente",
    "desființarea unei anexe gospodărești",
    "construirea unei pensiuni turistice în stațiunea Straja",
    "reabilitarea termică a blocului {bl}",
    "montarea unei stații de încărcare pentru autovehicule electrice",
]
BUILDING_WORKS = [
    ("construire", "locuință unifamilială P+1E"),
    ("construire", "garaj și împrejmuire"),
    ("construire", "extindere locuință parter"),
    ("construire", "anexă gospodărească"),
    ("construire", "reabilitare termică bloc {bl}"),
    ("construire", "pensiune turistică P+1E+M în zona Straja"),
    ("desființare", "anexă gospodărească din lemn"),
    ("desființare", "construcție C2 — magazie"),
]
FISCAL_PURPOSES = [
    "vânzarea apartamentului",
    "dezbaterea succesiunii",
    "participarea la licitație",
    "înmatricularea unui autoturism",
    "dosarul de ajutor social",
    "dosarul de bursă",
    "autentificarea unui act notarial",
]
CIVIL_STATUS_SUBJECTS = [
    ("II/D/3", "Cerere de eliberare a certificatului de naștere (duplicat)"),
    ("II/D/3", "Cerere de eliberare a certificatului de căsătorie (duplicat)"),
    ("II/D/3", "Cerere de eliberare a extrasului multilingv de pe actul de naștere"),
    ("II/D/2", "Declarație de căsătorie"),
    ("II/D/4", "Cerere de transcriere a certificatului de naștere emis în {country}"),
    ("II/D/4", "Cerere de transcriere a certificatului de căsătorie emis în {country}"),
    ("II/D/5", "Cerere de rectificare a actului de naștere"),
    ("II/D/5", "Cerere de schimbare a numelui pe cale administrativă"),
    ("II/D/5", "Cerere de divorț pe cale administrativă"),
]
COUNTRIES = ["Spania", "Italia", "Germania", "Marea Britanie", "Austria", "Franța", "Belgia"]

PUBLIC_INFO_TOPICS = [
    "bugetul alocat reparațiilor străzilor în anul {year}",
    "contractele de deszăpezire încheiate de primărie",
    "numărul autorizațiilor de construire emise în anul {prev_year}",
    "cheltuielile cu iluminatul public",
    "stadiul proiectului de reabilitare a ștrandului municipal",
    "proiectele cu finanțare europeană ale municipiului",
    "numărul câinilor fără stăpân capturați în anul {prev_year}",
    "lista bunurilor din domeniul public al municipiului",
    "grila de salarizare a funcționarilor publici din aparatul de specialitate",
    "contractul de delegare a serviciului de salubrizare",
]

# Documents the departments send out on their own initiative (numbered in the general register).
OUTGOING: list[tuple[str, str, str, str]] = [
    (
        "SG",
        "II/A/5",
        "Instituția Prefectului — Județul Hunedoara",
        "Înaintare a hotărârilor Consiliului Local adoptate în ședința din {date}",
    ),
    (
        "SG",
        "I/A/1",
        "Instituția Prefectului — Județul Hunedoara",
        "Înaintare a dispozițiilor primarului emise în luna {month}",
    ),
    ("BUG", "III/A/1", "Trezoreria Operativă Petroșani", "Transmitere a situațiilor financiare trimestriale"),
    (
        "RU",
        "III/D/2",
        "Agenția Națională a Funcționarilor Publici",
        "Raportare privind funcțiile publice și funcționarii publici",
    ),
    (
        "ARH",
        "II/F/4",
        "Arhivele Naționale — Serviciul Județean Hunedoara",
        "Transmitere spre confirmare a nomenclatorului arhivistic",
    ),
    ("TAX", "III/B/5", "{person}", "Somație și titlu executoriu pentru impozitele restante"),
    ("TAX", "III/B/5", "{company}", "Înștiințare de plată privind obligațiile fiscale restante"),
    ("ACH", "III/C/1", "{company}", "Comunicare a rezultatului procedurii de achiziție directă"),
    ("URB", "IV/A/7", "{person}", "Somație de intrare în legalitate pentru lucrările executate fără autorizație"),
    ("INV", "IV/D/2", "Agenția pentru Dezvoltare Regională Vest", "Transmitere a cererii de rambursare nr. {ref}"),
    ("PL", "VI/A/1", "{person}", "Comunicare a procesului-verbal de constatare a contravenției"),
]

# Internal notes between departments: (from, to, file code, subject).
INTERNAL: list[tuple[str, str, str, str]] = [
    ("ADP", "ACH", "III/C/2", "Referat de necesitate pentru achiziția de material antiderapant"),
    ("IT", "ACH", "III/C/2", "Referat de necesitate pentru achiziția de licențe și echipamente informatice"),
    ("RU", "BUG", "III/A/5", "Notă privind statul de funcții și fondul de salarii pentru luna {month}"),
    ("BUG", "SG", "III/A/1", "Notă privind proiectul de rectificare a bugetului local"),
    ("REG", "SG", "II/C/4", "Raport semestrial privind soluționarea petițiilor"),
    ("URB", "ARH", "II/F/2", "Predarea la arhivă a dosarelor constituite în anul {prev_year}, cu inventar"),
    ("TAX", "ARH", "II/F/2", "Predarea la arhivă a dosarelor fiscale, cu inventar și proces-verbal"),
    ("PAT", "BUG", "IV/B/1", "Referat privind inventarierea anuală a patrimoniului"),
    ("SG", "PRIM", "I/A/1", "Proiect de dispoziție privind convocarea Consiliului Local în ședință ordinară"),
    ("RU", "SG", "III/D/3", "Notă privind programarea concediilor de odihnă pe anul {year}"),
    ("AUD", "PRIM", "I/B/1", "Raport de audit public intern privind activitatea de achiziții"),
    ("DAS", "BUG", "V/A/1", "Notă privind necesarul de fonduri pentru ajutoarele de încălzire"),
]

RESOLUTIONS = [
    "Spre soluționare în termenul legal",
    "Rog analizați și formulați răspuns",
    "Spre competentă soluționare",
    "Spre știință și conformare",
    "Urgent — verificare pe teren",
    "Spre analiză și propuneri",
]

MONTHS_RO = [
    "ianuarie", "februarie", "martie", "aprilie", "mai", "iunie",
    "iulie", "august", "septembrie", "octombrie", "noiembrie", "decembrie",
]  # fmt: skip

EMAIL_DOMAINS = ["gmail.com", "yahoo.com", "yahoo.ro", "outlook.com"]
