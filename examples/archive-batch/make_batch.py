"""Generate the example batch of retro-digitized scans (run from the repository root):

    .venv/bin/python examples/archive-batch/make_batch.py

Writes five "scans" of Romanian documents of Primăria Municipiului Lupeni beside this script,
rendered at 300 dpi with the DejaVu fonts (Debian's fonts-dejavu-core): a council decision as
an image-only PDF (2 pages), a mayor's order as a multi-page bilevel TIFF (CCITT G4, 2 pages),
an urbanism certificate as a slightly rotated grey JPEG, a petition as a PNG, and an
archive certificate with personal data as a PDF. Then `manifest.csv`, using the demo's
departments and nomenclator codes (ghiseu/demo/data.py). The output is deterministic: running
the script again gives the same bytes, so importing the batch twice imports nothing twice.

    .venv/bin/python manage.py archive_import examples/archive-batch
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from pathlib import Path

import img2pdf
import pikepdf
from PIL import Image, ImageDraw, ImageFilter, ImageFont

HERE = Path(__file__).resolve().parent
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
DPI = 300
WIDTH, HEIGHT = 2480, 3508  # A4 at 300 dpi
MARGIN = 230


def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / name), size)


BODY = font("DejaVuSerif.ttf", 44)
BOLD = font("DejaVuSerif-Bold.ttf", 46)
HEADER = font("DejaVuSans-Bold.ttf", 44)
SMALL = font("DejaVuSans.ttf", 36)

HEADER_LINES = ["ROMÂNIA", "JUDEȚUL HUNEDOARA", "PRIMĂRIA MUNICIPIULUI LUPENI"]
ADDRESS = "Str. Revoluției nr. 2, Lupeni, 335600 · tel. 0254 560 546 · registratura@primarialupeni.ro"


@dataclass
class Paragraph:
    text: str
    bold: bool = False
    center: bool = False
    gap: int = 28
    right: str = ""  # a second column on the same line (signature blocks)


def wrap(draw: ImageDraw.ImageDraw, text: str, face: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if draw.textlength(candidate, font=face) <= width:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def render_page(
    paragraphs: list[Paragraph], *, seed: int, header: bool, footer: str, stamp: bool = False
) -> Image.Image:
    """One A4 page, greyscale, with the header of the institution, the text, a footer."""
    rnd = random.Random(seed)
    page = Image.new("L", (WIDTH, HEIGHT), 250)
    draw = ImageDraw.Draw(page)
    y = 200
    if header:
        for line in HEADER_LINES:
            draw.text((MARGIN, y), line, font=HEADER, fill=20)
            y += 62
        draw.text((MARGIN, y + 6), ADDRESS, font=SMALL, fill=60)
        y += 70
        draw.line((MARGIN, y, WIDTH - MARGIN, y), fill=40, width=4)
        y += 80
    width = WIDTH - 2 * MARGIN
    for paragraph in paragraphs:
        face = BOLD if paragraph.bold else BODY
        if paragraph.right:
            draw.text((MARGIN, y), paragraph.text, font=face, fill=20)
            draw.text((WIDTH // 2 + 120, y), paragraph.right, font=face, fill=20)
            y += 64 + paragraph.gap
            continue
        for line in wrap(draw, paragraph.text, face, width):
            x = MARGIN + ((width - draw.textlength(line, font=face)) / 2 if paragraph.center else 0)
            draw.text((x, y), line, font=face, fill=rnd.randint(10, 35))
            y += 64
        y += paragraph.gap
    if stamp:  # a round stamp and a signature, as on the paper original
        cx, cy = WIDTH - MARGIN - 330, min(y + 260, HEIGHT - 520)
        draw.ellipse((cx - 210, cy - 210, cx + 210, cy + 210), outline=110, width=9)
        draw.ellipse((cx - 150, cy - 150, cx + 150, cy + 150), outline=120, width=5)
        for offset, word in ((-60, "PRIMĂRIA"), (0, "MUNICIPIULUI"), (60, "LUPENI")):
            draw.text((cx - draw.textlength(word, font=SMALL) / 2, cy + offset - 22), word, font=SMALL, fill=110)
        points = [(MARGIN + 120 + i * 34, cy + 60 + int(40 * rnd.random()) - (i % 3) * 18) for i in range(16)]
        draw.line(points, fill=45, width=6, joint="curve")
    draw.text((MARGIN, HEIGHT - 180), footer, font=SMALL, fill=90)
    for _ in range(260):  # dust
        x, y0 = rnd.randrange(WIDTH), rnd.randrange(HEIGHT)
        r = rnd.choice((1, 1, 2, 3))
        draw.ellipse((x, y0, x + r, y0 + r), fill=rnd.randint(60, 160))
    return page.filter(ImageFilter.GaussianBlur(0.6))


def skew(image: Image.Image, degrees: float) -> Image.Image:
    return image.rotate(degrees, resample=Image.Resampling.BICUBIC, fillcolor=250)


def bilevel(image: Image.Image) -> Image.Image:
    return image.point(lambda v: 255 if v > 150 else 0).convert("1")


def jpeg_bytes(image: Image.Image, quality: int = 60) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality, dpi=(DPI, DPI), optimize=True)
    return buffer.getvalue()


def pdf_of_jpegs(pages: list[Image.Image], path: Path) -> None:
    """An image-only PDF (as a scanner writes it): each page a JPEG, no text layer."""
    raw = img2pdf.convert([jpeg_bytes(page) for page in pages], nodate=True)
    with pikepdf.open(io.BytesIO(raw)) as pdf:
        del pdf.trailer.ID  # img2pdf writes a random one; the same bytes every run instead
        pdf.save(path, deterministic_id=True)


HCL = [
    [
        Paragraph("CONSILIUL LOCAL AL MUNICIPIULUI LUPENI", bold=True, center=True, gap=10),
        Paragraph("HOTĂRÂREA nr. 45 din 28 martie 2019", bold=True, center=True, gap=10),
        Paragraph("privind aprobarea bugetului local al municipiului Lupeni pe anul 2019", center=True, gap=60),
        Paragraph(
            "Consiliul Local al Municipiului Lupeni, întrunit în ședință ordinară, având în vedere referatul "
            "de aprobare al primarului, raportul de specialitate al Direcției economice și avizul comisiei "
            "pentru buget, finanțe și administrarea domeniului public și privat;"
        ),
        Paragraph(
            "Ținând seama de prevederile Legii nr. 273/2006 privind finanțele publice locale, cu modificările "
            "și completările ulterioare, și ale Legii bugetului de stat pe anul 2019 nr. 50/2019;"
        ),
        Paragraph(
            "În temeiul art. 36 alin. (4) lit. a) și al art. 45 alin. (2) lit. a) din Legea nr. 215/2001 "
            "a administrației publice locale, republicată,",
            gap=50,
        ),
        Paragraph("HOTĂRĂȘTE:", bold=True, center=True, gap=40),
        Paragraph(
            "Art. 1. Se aprobă bugetul local al municipiului Lupeni pe anul 2019, la venituri în sumă de "
            "68.412,50 mii lei și la cheltuieli în sumă de 71.905,20 mii lei, conform anexei nr. 1."
        ),
        Paragraph(
            "Art. 2. Se aprobă lista obiectivelor de investiții: reabilitarea străzii Tudor Vladimirescu, "
            "modernizarea iluminatului public și extinderea rețelei de apă în cartierul Braia."
        ),
    ],
    [
        Paragraph(
            "Art. 3. Excedentul bugetului local din anii precedenți, în sumă de 3.492,70 mii lei, se utilizează "
            "pentru finanțarea secțiunii de dezvoltare."
        ),
        Paragraph(
            "Art. 4. Cu aducerea la îndeplinire a prezentei hotărâri se încredințează primarul municipiului "
            "Lupeni, prin Direcția economică."
        ),
        Paragraph(
            "Art. 5. Prezenta hotărâre se comunică Instituției Prefectului — Județul Hunedoara, primarului, "
            "Direcției economice și se aduce la cunoștință publică prin afișare la sediul primăriei.",
            gap=120,
        ),
        Paragraph("PREȘEDINTE DE ȘEDINȚĂ,", right="CONTRASEMNEAZĂ,", bold=True, gap=8),
        Paragraph("Ioan Crăciun", right="Secretar general, Elena Bălan", gap=40),
    ],
]

DISPOZITIE = [
    [
        Paragraph("DISPOZIȚIA nr. 112 din 14 mai 2020", bold=True, center=True, gap=10),
        Paragraph(
            "privind constituirea comisiei de selecționare a documentelor din arhiva instituției",
            center=True,
            gap=60,
        ),
        Paragraph("Primarul municipiului Lupeni, județul Hunedoara;"),
        Paragraph(
            "Având în vedere prevederile art. 13 din Legea Arhivelor Naționale nr. 16/1996, republicată, și "
            "ale Instrucțiunilor privind activitatea de arhivă la creatorii și deținătorii de documente;"
        ),
        Paragraph("În temeiul art. 196 alin. (1) lit. b) din OUG nr. 57/2019 privind Codul administrativ,", gap=50),
        Paragraph("DISPUNE:", bold=True, center=True, gap=40),
        Paragraph(
            "Art. 1. Se constituie comisia de selecționare a documentelor, în componența: președinte — "
            "Elena Bălan, secretar general; membri — Rodica Pop, arhivar, și Ioana Mureșan, referent la "
            "registratura generală."
        ),
        Paragraph(
            "Art. 2. Comisia analizează dosarele al căror termen de păstrare a expirat, întocmește "
            "procesul-verbal de selecționare și inventarele documentelor propuse pentru eliminare."
        ),
    ],
    [
        Paragraph(
            "Art. 3. Documentele propuse pentru eliminare nu se distrug decât după confirmarea Serviciului "
            "Județean Hunedoara al Arhivelor Naționale."
        ),
        Paragraph(
            "Art. 4. Secretarul general al municipiului comunică prezenta dispoziție persoanelor nominalizate "
            "și Instituției Prefectului — Județul Hunedoara.",
            gap=140,
        ),
        Paragraph("PRIMAR,", right="CONTRASEMNEAZĂ,", bold=True, gap=8),
        Paragraph("Mihai Dragomir", right="Secretar general, Elena Bălan"),
    ],
]

CERTIFICAT = [
    Paragraph("CERTIFICAT DE URBANISM nr. 87 din 9 aprilie 2021", bold=True, center=True, gap=10),
    Paragraph("în scopul: construire locuință unifamilială P+1E și împrejmuire", center=True, gap=60),
    Paragraph(
        "Ca urmare a cererii adresate de Ștefan Țăranu, cu domiciliul în municipiul Lupeni, strada Parângului "
        "nr. 14, înregistrată la registratura Primăriei Municipiului Lupeni cu nr. 4312 din 18 martie 2021,"
    ),
    Paragraph(
        "pentru imobilul teren situat în municipiul Lupeni, strada Viitorului nr. 7, identificat prin numărul "
        "cadastral 61215 și înscris în cartea funciară nr. 61215 a UAT Lupeni,"
    ),
    Paragraph(
        "în temeiul reglementărilor documentației de urbanism nr. 12/2011, faza PUG, aprobată prin hotărârea "
        "Consiliului Local nr. 98/2012, în conformitate cu prevederile Legii nr. 50/1991 privind autorizarea "
        "executării lucrărilor de construcții, se certifică:"
    ),
    Paragraph(
        "1. Regimul juridic: imobilul se află în intravilanul municipiului Lupeni, proprietate privată a "
        "persoanelor fizice, conform extrasului de carte funciară."
    ),
    Paragraph(
        "2. Regimul economic: folosința actuală — curți construcții; zona de impozitare B. "
        "3. Regimul tehnic: POT maxim 35%, CUT maxim 0,9; retragerea față de aliniament de minimum 5 m."
    ),
    Paragraph(
        "Certificatul de urbanism este valabil 24 de luni de la data emiterii și nu ține loc de autorizație "
        "de construire.",
        gap=100,
    ),
    Paragraph("PRIMAR,", right="ARHITECT-ȘEF,", bold=True, gap=8),
    Paragraph("Mihai Dragomir", right="Andrei Lazăr"),
]

PETITIE = [
    Paragraph("Către Primăria Municipiului Lupeni", bold=True, gap=10),
    Paragraph("În atenția Compartimentului Administrarea domeniului public", gap=60),
    Paragraph("SESIZARE", bold=True, center=True, gap=40),
    Paragraph(
        "Subsemnata Maria Stănescu, domiciliată în municipiul Lupeni, strada Ștefan cel Mare nr. 23, vă "
        "sesizez că iluminatul public de pe strada Ștefan cel Mare, între blocurile 3 și 9, nu funcționează "
        "de aproximativ trei săptămâni."
    ),
    Paragraph(
        "Pe porțiunea respectivă circulă seara mulți elevi care se întorc de la școală, iar trotuarul este "
        "degradat. Vă rog să dispuneți remedierea defecțiunii și să îmi comunicați măsurile luate, conform "
        "Ordonanței Guvernului nr. 27/2002 privind reglementarea activității de soluționare a petițiilor."
    ),
    Paragraph("Vă mulțumesc.", gap=80),
    Paragraph("Data: 7 noiembrie 2022", right="Semnătura,"),
    Paragraph("Înregistrată la registratura generală cu nr. 9187 din 7.11.2022.", gap=10),
]

ADEVERINTA = [
    Paragraph("ADEVERINȚĂ nr. 21 din 15 februarie 2018", bold=True, center=True, gap=60),
    Paragraph(
        "Se adeverește prin prezenta că doamna Ana Georgescu, născută la 3 mai 1961 în localitatea Lupeni, "
        "județul Hunedoara, a fost angajată a Primăriei orașului Lupeni în perioada 1 septembrie 1986 — "
        "31 decembrie 1999, în funcția de referent la compartimentul de stare civilă."
    ),
    Paragraph(
        "Adeverința s-a eliberat pe baza statelor de plată și a registrului de evidență a salariaților aflate "
        "în arhiva instituției, inventarul nr. 4, dosarele 112—131, la cererea titularei, pentru a-i servi la "
        "Casa Județeană de Pensii Hunedoara, conform Legii nr. 127/2019 privind sistemul public de pensii."
    ),
    Paragraph(
        "Arhivarul instituției certifică exactitatea datelor, care corespund documentelor păstrate în arhivă.",
        gap=140,
    ),
    Paragraph("SECRETAR GENERAL,", right="ARHIVAR,", bold=True, gap=8),
    Paragraph("Elena Bălan", right="Rodica Pop"),
]

MANIFEST = [
    {
        "file": "hcl-2019-045.pdf",
        "dossier_code": "II/A/1",
        "dossier_year": "2019",
        "dossier_title": "Hotărâri ale Consiliului Local, 2019",
        "department": "SG",
        "document_title": "HCL nr. 45/2019 privind aprobarea bugetului local pe anul 2019",
        "document_date": "2019-03-28",
        "pages": "2",
        "physical_location": "Depozit arhivă, raft 2, cutia 14",
        "document_number": "45",
        "keywords": "buget local, hotărâre, consiliul local",
        "access_class": "public",
    },
    {
        "file": "dispozitii/dispozitie-2020-112.tif",
        "dossier_code": "I/A/1",
        "dossier_year": "2020",
        "dossier_title": "Dispoziții ale primarului, 2020",
        "department": "PRIM",
        "document_title": "Dispoziția nr. 112/2020 privind constituirea comisiei de selecționare",
        "document_date": "2020-05-14",
        "pages": "2",
        "physical_location": "Depozit arhivă, raft 1, cutia 3",
        "document_number": "112",
        "keywords": "dispoziție, arhivă, comisia de selecționare",
        "access_class": "internal",
    },
    {
        "file": "cu-2021-0087.jpg",
        "dossier_code": "IV/A/1",
        "dossier_year": "2021",
        "dossier_title": "Certificate de urbanism, 2021",
        "department": "URB",
        "document_title": "Certificat de urbanism nr. 87/2021, str. Viitorului nr. 7",
        "document_date": "2021-04-09",
        "pages": "1",
        "physical_location": "Depozit arhivă, raft 7, cutia 41",
        "document_number": "87",
        "keywords": "certificat de urbanism, construire locuință",
        "access_class": "internal",
    },
    {
        "file": "petitie-2022-9187.png",
        "dossier_code": "II/C/2",
        "dossier_year": "2022",
        "dossier_title": "Petiții, reclamații și sesizări, 2022",
        "department": "REG",
        "document_title": "Sesizare privind iluminatul public pe strada Ștefan cel Mare",
        "document_date": "2022-11-07",
        "pages": "1",
        "physical_location": "Registratură, biblioraft 2022/4",
        "document_number": "9187",
        "keywords": "petiție, iluminat public",
        "access_class": "internal",
    },
    {
        "file": "adeverinta-2018-021.pdf",
        "dossier_code": "II/F/5",
        "dossier_year": "2018",
        "dossier_title": "Cereri de copii și adeverințe din arhivă, 2018",
        "department": "ARH",
        "document_title": "Adeverință de vechime nr. 21/2018",
        "document_date": "2018-02-15",
        "pages": "1",
        "physical_location": "Depozit arhivă, raft 9, cutia 2",
        "document_number": "21",
        "keywords": "adeverință, vechime, pensie",
        "access_class": "personal_data",
    },
]


def main() -> None:
    footer = "Document scanat — exemplu generat pentru Ghișeu"
    hcl = [render_page(p, seed=i, header=i == 0, footer=f"{footer} · pagina {i + 1}/2") for i, p in enumerate(HCL)]
    pdf_of_jpegs([hcl[0], hcl[1]], HERE / "hcl-2019-045.pdf")

    dispozitie = [
        bilevel(render_page(p, seed=10 + i, header=i == 0, footer=f"{footer} · pagina {i + 1}/2", stamp=i == 1))
        for i, p in enumerate(DISPOZITIE)
    ]
    (HERE / "dispozitii").mkdir(exist_ok=True)
    dispozitie[0].save(
        HERE / "dispozitii" / "dispozitie-2020-112.tif",
        save_all=True,
        append_images=dispozitie[1:],
        compression="group4",
        dpi=(DPI, DPI),
    )

    certificat = skew(render_page(CERTIFICAT, seed=20, header=True, footer=footer, stamp=True), 1.3)
    (HERE / "cu-2021-0087.jpg").write_bytes(jpeg_bytes(certificat, quality=55))

    petitie = render_page(PETITIE, seed=30, header=False, footer=footer)
    petitie.quantize(8).save(HERE / "petitie-2022-9187.png", optimize=True, dpi=(DPI, DPI))

    adeverinta = render_page(ADEVERINTA, seed=40, header=True, footer=footer, stamp=True)
    pdf_of_jpegs([adeverinta], HERE / "adeverinta-2018-021.pdf")

    with (HERE / "manifest.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(MANIFEST[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(MANIFEST)
    total = sum(p.stat().st_size for p in HERE.rglob("*") if p.is_file() and p.suffix != ".py")
    print(f"example batch written to {HERE} ({total / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
