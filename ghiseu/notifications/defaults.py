"""The default notification templates, in Romanian and English, and the function that seeds them.

Each key is an event a domain app announces with `notification_send(key=..., context=...)`.
The variables each key's context carries are listed in `VARIABLES`; every template also
sees `institution` (the GHISEU_INSTITUTION setting) and `recipient_name`. Dates are passed
as `datetime.date` objects and formatted by the template.

`ensure_default_templates()` creates version 1 of every (key, language) that has no version
at all; it never touches a template an administrator has edited or deactivated.
"""

from __future__ import annotations

from typing import Any

REGISTRY_REGISTERED = "registry.registered"
REQUEST_SUBMITTED = "request.submitted"
REQUEST_COMPLETION_NEEDED = "request.completion_needed"
REQUEST_ISSUED = "request.issued"
PETITION_REGISTERED = "petition.registered"
PETITION_FORWARDED = "petition.forwarded"
PETITION_EXTENDED = "petition.extended"
PETITION_ANSWERED = "petition.answered"
TASK_ESCALATED = "task.escalated"
CASE_COMPLETION_ANSWERED = "case.completion_answered"
ARCHIVE_FIXITY_PROBLEM = "archive.fixity_problem"

# The context each key expects (besides `institution` and `recipient_name`, always present).
VARIABLES: dict[str, tuple[str, ...]] = {
    REGISTRY_REGISTERED: ("number", "subject", "due_date", "tracking_code", "tracking_url"),
    REQUEST_SUBMITTED: ("service_name", "number", "due_date", "tracking_code", "tracking_url"),
    REQUEST_COMPLETION_NEEDED: ("service_name", "number", "missing", "respond_by", "tracking_url"),
    REQUEST_ISSUED: ("service_name", "number", "document_title", "document_number", "download_url", "verify_url"),
    PETITION_REGISTERED: ("number", "due_date", "tracking_code", "tracking_url"),
    PETITION_FORWARDED: ("number", "forwarded_to", "tracking_url"),
    PETITION_EXTENDED: ("number", "new_due_date", "reason", "tracking_url"),
    PETITION_ANSWERED: ("number", "tracking_url"),
    TASK_ESCALATED: ("task_title", "case_number", "assignee_name", "due_date", "reason", "task_url"),
    CASE_COMPLETION_ANSWERED: ("service_name", "case_number", "answer", "case_url"),
    ARCHIVE_FIXITY_PROBLEM: ("problem_label", "sha256", "documents"),
}

_RO_HELLO = "Bună ziua{% if recipient_name %}, {{ recipient_name }}{% endif %},\n\n"
_EN_HELLO = "Hello{% if recipient_name %} {{ recipient_name }}{% endif %},\n\n"
_RO_SIGN = (
    "\n\nCu stimă,\n{{ institution.name }}\n{{ institution.address }}"
    "{% if institution.phone %} · tel. {{ institution.phone }}{% endif %}\n\n"
    "Acesta este un mesaj trimis automat. Pentru întrebări, scrieți-ne la {{ institution.email }} "
    "și menționați numărul de înregistrare."
)
_EN_SIGN = (
    "\n\nKind regards,\n{{ institution.name }}\n{{ institution.address }}"
    "{% if institution.phone %} · tel. {{ institution.phone }}{% endif %}\n\n"
    "This message was sent automatically. If you have questions, write to {{ institution.email }} "
    "and quote the registration number."
)
_RO_STAFF_SIGN = "\n\n— Ghișeu, {{ institution.name }}"
_EN_STAFF_SIGN = "\n\n— Ghișeu, {{ institution.name }}"

_RO_TRACK = (
    "{% if tracking_url %}Puteți urmări stadiul lucrării oricând"
    "{% if tracking_code %}, cu codul de urmărire {{ tracking_code }}{% endif %}:\n{{ tracking_url }}{% endif %}"
)
_EN_TRACK = (
    "{% if tracking_url %}You can follow its progress at any time"
    "{% if tracking_code %} with the tracking code {{ tracking_code }}{% endif %}:\n{{ tracking_url }}{% endif %}"
)

# key -> language -> (subject, body_text)
DEFAULT_TEMPLATES: dict[str, dict[str, tuple[str, str]]] = {
    REGISTRY_REGISTERED: {
        "ro": (
            "Documentul dumneavoastră a fost înregistrat cu nr. {{ number }}",
            _RO_HELLO + "Documentul dumneavoastră{% if subject %} („{{ subject }}”){% endif %} a fost înregistrat "
            "la {{ institution.name }} cu numărul {{ number }}. Păstrați acest număr: cu el puteți "
            "afla, la ghișeu sau online, unde se află lucrarea.\n\n"
            '{% if due_date %}Termenul de soluționare este {{ due_date|date:"d.m.Y" }}.\n\n{% endif %}'
            + _RO_TRACK
            + _RO_SIGN,
        ),
        "en": (
            "Your document has been registered under no. {{ number }}",
            _EN_HELLO + "Your document{% if subject %} (“{{ subject }}”){% endif %} has been registered by "
            "{{ institution.name }} under number {{ number }}. Please keep this number: with it you can find "
            "out, at the counter or online, where your file stands.\n\n"
            '{% if due_date %}It is due to be resolved by {{ due_date|date:"j F Y" }}.\n\n{% endif %}'
            + _EN_TRACK
            + _EN_SIGN,
        ),
    },
    REQUEST_SUBMITTED: {
        "ro": (
            "Am primit cererea dumneavoastră: {{ service_name }} (nr. {{ number }})",
            _RO_HELLO + "Am primit cererea dumneavoastră pentru „{{ service_name }}”. A fost înregistrată "
            "cu numărul {{ number }}.\n\n"
            '{% if due_date %}Termenul legal de soluționare este {{ due_date|date:"d.m.Y" }}. {% endif %}'
            "Vă vom anunța când documentul este gata sau dacă avem nevoie de completări.\n\n" + _RO_TRACK + _RO_SIGN,
        ),
        "en": (
            "We have received your request: {{ service_name }} (no. {{ number }})",
            _EN_HELLO + "We have received your request for “{{ service_name }}”. It has been registered under "
            "number {{ number }}.\n\n"
            '{% if due_date %}The legal deadline for resolving it is {{ due_date|date:"j F Y" }}. {% endif %}'
            "We will let you know when the document is ready or if we need anything else from you.\n\n"
            + _EN_TRACK
            + _EN_SIGN,
        ),
    },
    REQUEST_COMPLETION_NEEDED: {
        "ro": (
            "Cererea nr. {{ number }} trebuie completată",
            _RO_HELLO + "Pentru a putea soluționa cererea dumneavoastră pentru „{{ service_name }}” "
            "(nr. {{ number }}), avem nevoie de următoarele:\n\n{{ missing }}\n\n"
            '{% if respond_by %}Vă rugăm să le transmiteți până la data de {{ respond_by|date:"d.m.Y" }}. '
            "{% endif %}Le puteți trimite online"
            "{% if tracking_url %}, din pagina cererii:\n{{ tracking_url }}\n\nsau{% else %} sau{% endif %} "
            "la registratura primăriei." + _RO_SIGN,
        ),
        "en": (
            "Request no. {{ number }} needs more information",
            _EN_HELLO + "To resolve your request for “{{ service_name }}” (no. {{ number }}), we need the "
            "following:\n\n{{ missing }}\n\n"
            '{% if respond_by %}Please send them by {{ respond_by|date:"j F Y" }}. '
            "{% endif %}You can send them online"
            "{% if tracking_url %}, from the request's page:\n{{ tracking_url }}\n\nor{% else %} or{% endif %} "
            "at the city hall's registry office." + _EN_SIGN,
        ),
    },
    REQUEST_ISSUED: {
        "ro": (
            "Documentul solicitat prin cererea nr. {{ number }} a fost emis",
            _RO_HELLO + "Documentul solicitat prin cererea dumneavoastră pentru „{{ service_name }}” "
            "(nr. {{ number }}) a fost emis"
            "{% if document_title %}: {{ document_title }}{% endif %}"
            "{% if document_number %}, nr. {{ document_number }}{% endif %}.\n\n"
            "{% if download_url %}Îl puteți descărca de aici:\n{{ download_url }}\n\n{% endif %}"
            "{% if verify_url %}Oricine îi poate verifica autenticitatea la adresa:\n{{ verify_url }}{% endif %}"
            + _RO_SIGN,
        ),
        "en": (
            "The document requested under no. {{ number }} has been issued",
            _EN_HELLO + "The document you requested for “{{ service_name }}” (no. {{ number }}) has been issued"
            "{% if document_title %}: {{ document_title }}{% endif %}"
            "{% if document_number %}, no. {{ document_number }}{% endif %}.\n\n"
            "{% if download_url %}You can download it here:\n{{ download_url }}\n\n{% endif %}"
            "{% if verify_url %}Anyone can check that it is authentic at:\n{{ verify_url }}{% endif %}" + _EN_SIGN,
        ),
    },
    PETITION_REGISTERED: {
        "ro": (
            "Petiția dumneavoastră a fost înregistrată cu nr. {{ number }}",
            _RO_HELLO + "Petiția dumneavoastră a fost înregistrată la {{ institution.name }} cu numărul "
            "{{ number }}.\n\n"
            "Potrivit Ordonanței Guvernului nr. 27/2002 privind activitatea de soluționare a petițiilor, "
            'veți primi răspuns{% if due_date %} până la data de {{ due_date|date:"d.m.Y" }}'
            "{% else %} în termenul legal{% endif %}.\n\n" + _RO_TRACK + _RO_SIGN,
        ),
        "en": (
            "Your petition has been registered under no. {{ number }}",
            _EN_HELLO + "Your petition has been registered by {{ institution.name }} under number "
            "{{ number }}.\n\n"
            "Under Government Ordinance no. 27/2002 on petitions, you will receive an answer"
            '{% if due_date %} by {{ due_date|date:"j F Y" }}{% else %} within the legal term{% endif %}.\n\n'
            + _EN_TRACK
            + _EN_SIGN,
        ),
    },
    PETITION_FORWARDED: {
        "ro": (
            "Petiția nr. {{ number }} a fost transmisă către {{ forwarded_to }}",
            _RO_HELLO + "Problema semnalată în petiția dumneavoastră nr. {{ number }} nu este de competența "
            "instituției noastre. De aceea, potrivit Ordonanței Guvernului nr. 27/2002, am transmis-o către "
            "{{ forwarded_to }}, care vă va răspunde direct.\n\n" + _RO_TRACK + _RO_SIGN,
        ),
        "en": (
            "Petition no. {{ number }} has been forwarded to {{ forwarded_to }}",
            _EN_HELLO + "The matter raised in your petition no. {{ number }} is outside our institution's "
            "remit. Under Government Ordinance no. 27/2002 we have therefore forwarded it to "
            "{{ forwarded_to }}, who will answer you directly.\n\n" + _EN_TRACK + _EN_SIGN,
        ),
    },
    PETITION_EXTENDED: {
        "ro": (
            "Termenul de răspuns la petiția nr. {{ number }} a fost prelungit",
            _RO_HELLO + "Soluționarea petiției dumneavoastră nr. {{ number }} necesită o analiză mai amplă. "
            "De aceea, potrivit Ordonanței Guvernului nr. 27/2002, conducătorul instituției a prelungit "
            'termenul de răspuns până la data de {{ new_due_date|date:"d.m.Y" }}.\n\n'
            "{% if reason %}Motivul: {{ reason }}\n\n{% endif %}" + _RO_TRACK + _RO_SIGN,
        ),
        "en": (
            "The deadline for answering petition no. {{ number }} has been extended",
            _EN_HELLO + "Your petition no. {{ number }} needs a more thorough examination. Under Government "
            "Ordinance no. 27/2002, the head of the institution has therefore extended the deadline for the "
            'answer to {{ new_due_date|date:"j F Y" }}.\n\n'
            "{% if reason %}Reason: {{ reason }}\n\n{% endif %}" + _EN_TRACK + _EN_SIGN,
        ),
    },
    PETITION_ANSWERED: {
        "ro": (
            "Răspuns la petiția nr. {{ number }}",
            _RO_HELLO + "Am răspuns petiției dumneavoastră nr. {{ number }}."
            "{% if tracking_url %} Răspunsul poate fi citit și descărcat aici:\n{{ tracking_url }}{% endif %}"
            + _RO_SIGN,
        ),
        "en": (
            "Answer to petition no. {{ number }}",
            _EN_HELLO + "We have answered your petition no. {{ number }}."
            "{% if tracking_url %} You can read and download the answer here:\n{{ tracking_url }}{% endif %}"
            + _EN_SIGN,
        ),
    },
    CASE_COMPLETION_ANSWERED: {
        "ro": (
            "Completare primită: nr. {{ case_number }}",
            _RO_HELLO + "Petentul a răspuns cererii de completare din lucrarea nr. {{ case_number }}"
            "{% if service_name %} ({{ service_name }}){% endif %}; lucrul la dosar continuă.\n\n"
            "{% if answer %}Răspunsul petentului: {{ answer }}\n\n{% endif %}"
            "{% if case_url %}Deschideți dosarul:\n{{ case_url }}{% endif %}" + _RO_STAFF_SIGN,
        ),
        "en": (
            "Completion received: no. {{ case_number }}",
            _EN_HELLO + "The applicant answered the completion request of file no. {{ case_number }}"
            "{% if service_name %} ({{ service_name }}){% endif %}; work on the file resumes.\n\n"
            "{% if answer %}The applicant's answer: {{ answer }}\n\n{% endif %}"
            "{% if case_url %}Open the file:\n{{ case_url }}{% endif %}" + _EN_STAFF_SIGN,
        ),
    },
    TASK_ESCALATED: {
        "ro": (
            "Sarcină escaladată: {{ task_title }} (nr. {{ case_number }})",
            _RO_HELLO + "Sarcina „{{ task_title }}” din lucrarea nr. {{ case_number }}"
            "{% if assignee_name %} (responsabil: {{ assignee_name }}){% endif %} v-a fost escaladată"
            '{% if due_date %}; termenul ei este {{ due_date|date:"d.m.Y" }}{% endif %}.\n\n'
            "{% if reason %}Motivul: {{ reason }}\n\n{% endif %}"
            "{% if task_url %}Deschideți sarcina:\n{{ task_url }}{% endif %}" + _RO_STAFF_SIGN,
        ),
        "en": (
            "Task escalated: {{ task_title }} (no. {{ case_number }})",
            _EN_HELLO + "The task “{{ task_title }}” of file no. {{ case_number }}"
            "{% if assignee_name %} (assigned to {{ assignee_name }}){% endif %} has been escalated to you"
            '{% if due_date %}; it is due on {{ due_date|date:"j F Y" }}{% endif %}.\n\n'
            "{% if reason %}Reason: {{ reason }}\n\n{% endif %}"
            "{% if task_url %}Open the task:\n{{ task_url }}{% endif %}" + _EN_STAFF_SIGN,
        ),
    },
    ARCHIVE_FIXITY_PROBLEM: {
        "ro": (
            "Arhivă: problemă de integritate ({{ problem_label }})",
            _RO_HELLO + "Verificarea periodică a integrității a găsit o problemă la un fișier al "
            "arhivei: {{ problem_label }} (SHA-256 {{ sha256 }}).\n\n"
            "{% if documents %}Documente afectate:\n{% for d in documents %}- {{ d.dossier }} {{ d.title }} "
            "({{ d.kind }})\n{% endfor %}\n{% endif %}"
            "Restaurați fișierul din copia de siguranță; problema rămâne deschisă până la următoarea "
            "verificare reușită." + _RO_STAFF_SIGN,
        ),
        "en": (
            "Archive: integrity problem ({{ problem_label }})",
            _EN_HELLO + "The periodic integrity check found a problem with an archive "
            "file: {{ problem_label }} (SHA-256 {{ sha256 }}).\n\n"
            "{% if documents %}Documents affected:\n{% for d in documents %}- {{ d.dossier }} {{ d.title }} "
            "({{ d.kind }})\n{% endfor %}\n{% endif %}"
            "Restore the file from the backup; the problem stays open until the next successful check."
            + _EN_STAFF_SIGN,
        ),
    },
}


def ensure_default_templates(*, model: Any = None, using: str = "default") -> int:
    """Create version 1 of each default (key, language) that has no version yet; return how many.

    `model` is the NotificationTemplate class; a data migration passes
    `apps.get_model("notifications", "NotificationTemplate")`.
    """
    if model is None:
        from ghiseu.notifications.models import NotificationTemplate

        model = NotificationTemplate
    existing = set(model.objects.using(using).values_list("key", "language"))
    missing = [
        model(key=key, language=language, version=1, subject=subject, body_text=body, is_active=True)
        for key, by_language in DEFAULT_TEMPLATES.items()
        for language, (subject, body) in by_language.items()
        if (key, language) not in existing
    ]
    model.objects.using(using).bulk_create(missing)
    return len(missing)
