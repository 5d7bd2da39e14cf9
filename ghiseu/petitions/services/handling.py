"""Working a petition within the law: taking it into work, extending the term (once), forwarding it
to the competent authority, joining petitions on one matter, filing away a repeated one, and
answering with a registered letter that states its legal basis.

Each function checks permission and input first, then locks the petition rows (locks.py) and does
everything — registry calls, petition fields, audit events, the notification — in one transaction.
"""

from __future__ import annotations

import datetime as dt
import io

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ghiseu.accounts.models import User
from ghiseu.audit.services import audit_record
from ghiseu.core.calendar import WorkingCalendar
from ghiseu.core.errors import DomainError, PermissionDenied
from ghiseu.core.text import clean_text
from ghiseu.petitions import delivery, letters, permissions, rules
from ghiseu.petitions.indexing import petition_search_update
from ghiseu.petitions.locks import lock_petition, lock_petitions
from ghiseu.petitions.models import (
    INFORMATION_KINDS,
    OPEN_STATUSES,
    PETITION_KINDS,
    REFUSALS,
    FilingReason,
    Kind,
    Outcome,
    Petition,
    PetitionPhoto,
    PetitionStatus,
)
from ghiseu.petitions.services.notify import _tell_petitioner
from ghiseu.petitions.services.register import sync_entry_due_date
from ghiseu.registry.models import Channel, Entry
from ghiseu.registry.models import Status as EntryStatus
from ghiseu.registry.services import Upload, entry_close, entry_link, entry_reply, entry_start_work


def _require_handle(actor: User, petition: Petition) -> None:
    if not permissions.can_handle(actor, petition):
        raise PermissionDenied(_("Nu aveți dreptul să lucrați această petiție."))


def _require_open(petition: Petition) -> None:
    if petition.status not in OPEN_STATUSES:
        raise DomainError(
            _("Petiția nr. %(number)s este deja %(status)s.")
            % {"number": petition.number, "status": petition.get_status_display()},
            code="bad_state",
        )


def _status_change(actor: User, petition: Petition, action: str, before: str, **summary: object) -> None:
    petition_search_update(petition)
    audit_record(
        actor=actor,
        action=action,
        obj=petition,
        summary={"number": petition.number, "before": before, "after": petition.status, **summary},
    )


def petition_start(*, actor: User, petition: Petition) -> Petition:
    """The department takes the petition into work (its registry entry too)."""
    _require_handle(actor, petition)
    with transaction.atomic():
        petition = lock_petition(petition.pk)
        if petition.status != PetitionStatus.REGISTERED:
            _require_open(petition)
            raise DomainError(_("Petiția este deja în lucru."), code="bad_state")
        if petition.entry.status == EntryStatus.REGISTERED:
            raise DomainError(_("Repartizați întâi petiția unui compartiment."), code="not_assigned")
        if petition.entry.status == EntryStatus.ASSIGNED:
            petition.entry = entry_start_work(actor=actor, entry=petition.entry)
        before = petition.status
        petition.status = PetitionStatus.IN_PROGRESS
        petition.save(update_fields=["status", "updated_at"])
        _status_change(actor, petition, "petitions.petition.started", before)
    return petition


def _apply_extension(*, actor: User, petition: Petition, new_due: dt.date, days: int, reason: str, basis: str) -> None:
    """Record an extension (OG 27 art. 9, or Law 544's "more time needed" notice) on a locked, open
    petition: the new term on the petition and on its registry entry, the audit event, the notice."""
    before, old_due = petition.status, petition.due_date
    petition.due_date = new_due
    petition.status = PetitionStatus.EXTENDED
    petition.extended_at = timezone.now()
    petition.extended_by = actor
    petition.extension_days = days
    petition.extension_reason = reason
    petition.save(
        update_fields=[
            "due_date",
            "status",
            "extended_at",
            "extended_by",
            "extension_days",
            "extension_reason",
            "updated_at",
        ]
    )
    _status_change(
        actor,
        petition,
        "petitions.petition.extended",
        before,
        days=days,
        due_before=old_due,
        due_after=new_due,
        reason=reason,
        basis=basis,
    )
    sync_entry_due_date(actor=actor, entry=petition.entry, due_date=new_due, reason=basis)
    _tell_petitioner(
        petition=petition,
        key="petition.extended",
        context={"reason": reason, "days": days, "new_due_date": new_due},
    )


def petition_extend(*, actor: User, petition: Petition, days: int, reason: str) -> Petition:
    """OG 27/2002 art. 9: the head of the authority extends the 30-day term once, by at most 15 days."""
    if not permissions.can_extend(actor, petition):
        raise PermissionDenied(_("Doar conducătorul instituției poate prelungi termenul."))
    if petition.kind not in PETITION_KINDS:
        raise DomainError(
            _("Pentru informațiile de interes public se transmite înștiințarea privind depășirea termenului."),
            code="wrong_kind",
        )
    reason = clean_text(reason, field="reason", label=_("Motiv"), max_length=2000, required=True)
    maximum = rules.term("petition_extension").days
    if not isinstance(days, int) or not 1 <= days <= maximum:
        raise DomainError(_("Termenul se poate prelungi cu 1 până la %(max)d zile.") % {"max": maximum}, field="days")
    with transaction.atomic():
        petition = lock_petition(petition.pk)
        _require_open(petition)
        if petition.extended_at is not None:
            raise DomainError(_("Termenul acestei petiții a fost deja prelungit o dată."), code="already_extended")
        today = timezone.localdate()
        if today > petition.due_date:
            raise DomainError(
                _("Termenul a expirat la %(date)s; nu mai poate fi prelungit.")
                % {"date": f"{petition.due_date:%d.%m.%Y}"},
                code="expired",
            )
        new_due = rules.extended_due_date(petition.term_start, days, WorkingCalendar())
        _apply_extension(
            actor=actor,
            petition=petition,
            new_due=new_due,
            days=days,
            reason=reason,
            basis=rules.BASIS["petition_extension"],
        )
    return petition


def petition_information_extend(*, actor: User, petition: Petition, reason: str) -> Petition:
    """Law 544/2001 art. 7: within the 10 days, tell the requester that more time is needed; the
    answer is then due within 30 days of registration."""
    _require_handle(actor, petition)
    if petition.kind != Kind.PUBLIC_INFORMATION:
        raise DomainError(_("Înștiințarea se trimite doar pentru informații de interes public."), code="wrong_kind")
    reason = clean_text(reason, field="reason", label=_("Motiv"), max_length=2000, required=True)
    with transaction.atomic():
        petition = lock_petition(petition.pk)
        _require_open(petition)
        if petition.extended_at is not None:
            raise DomainError(_("Înștiințarea a fost deja transmisă."), code="already_extended")
        if timezone.localdate() > petition.due_date:
            raise DomainError(
                _("Înștiințarea se transmite în termenul de 10 zile, care a expirat la %(date)s.")
                % {"date": f"{petition.due_date:%d.%m.%Y}"},
                code="expired",
            )
        new_due = rules.information_extended_due_date(petition.term_start, WorkingCalendar())
        _apply_extension(
            actor=actor,
            petition=petition,
            new_due=new_due,
            days=(new_due - petition.due_date).days,
            reason=reason,
            basis=rules.BASIS["information_extended"],
        )
    return petition


def petition_forward(
    *, actor: User, petition: Petition, authority: str, authority_address: str = "", note: str = ""
) -> Petition:
    """OG 27/2002 art. 6^1: a petition for another authority is sent to it within 5 days of
    registration, by a registered letter, and the petitioner is told. Late forwarding is still
    done, and recorded as late."""
    _require_handle(actor, petition)
    if petition.kind == Kind.ADMINISTRATIVE_COMPLAINT:
        raise DomainError(
            _("Reclamația administrativă se soluționează de conducătorul instituției."), code="wrong_kind"
        )
    authority = clean_text(authority, field="authority", label=_("Autoritatea"), max_length=300, required=True)
    authority_address = clean_text(authority_address, field="authority_address", label=_("Adresa"), max_length=300)
    note = clean_text(note, field="note", label=_("Mențiuni"), max_length=2000)
    with transaction.atomic():
        petition = lock_petition(petition.pk)
        _require_open(petition)
        if petition.anonymous:
            raise DomainError(_("O petiție anonimă se clasează, nu se redirecționează."), code="anonymous")
        if petition.joined.exists():
            raise DomainError(_("Petiția are alte petiții conexate; redirecționați-le separat."), code="has_joined")
        today = timezone.localdate()
        late = petition.forward_due_date is not None and today > petition.forward_due_date
        pdf = letters.forward_letter_pdf(
            petition=petition, authority=authority, authority_address=authority_address, note=note
        )
        letter = entry_reply(
            actor=actor,
            entry=petition.entry,
            recipient=authority,
            subject=_("Redirecționarea petiției nr. %(number)s către %(authority)s")
            % {"number": petition.number, "authority": authority},
            channel=Channel.POST,
            files=[Upload(io.BytesIO(pdf), f"redirectionare-{petition.entry.number}.pdf", len(pdf))],
        )
        entry_close(
            actor=actor,
            entry=petition.entry,
            outcome=_("Redirecționată către %(authority)s prin adresa nr. %(letter)s (%(basis)s).")
            % {"authority": authority, "letter": letter.display_number, "basis": rules.BASIS["petition_forward"]},
            recipient=authority,
            sent_at=today,
        )
        before = petition.status
        petition.status = PetitionStatus.FORWARDED
        petition.forwarded_at = timezone.now()
        petition.forwarded_to = authority
        petition.forward_entry = letter
        petition.save(update_fields=["status", "forwarded_at", "forwarded_to", "forward_entry", "updated_at"])
        _status_change(
            actor,
            petition,
            "petitions.petition.forwarded",
            before,
            authority=authority,
            letter=letter.pk,
            late=late,
            basis=rules.BASIS["petition_forward"],
        )
        _tell_petitioner(
            petition=petition,
            key="petition.forwarded",
            context={"forwarded_to": authority, "letter_number": letter.display_number},
        )
    return petition


def same_petitioner(a: Petition, b: Petition) -> bool:
    """The same person: the same account, the same e-mail, or the same name (diacritics and case aside)."""
    if a.anonymous or b.anonymous:
        return False
    if a.petitioner_user_id is not None and a.petitioner_user_id == b.petitioner_user_id:
        return True
    if a.petitioner_email and a.petitioner_email.lower() == b.petitioner_email.lower():
        return True
    return bool(a.petitioner_key) and a.petitioner_key == b.petitioner_key


def _registered_before(a: Petition, b: Petition) -> bool:
    return (a.entry.registered_at, a.entry.pk) < (b.entry.registered_at, b.entry.pk)


def petition_join(*, actor: User, petition: Petition, to: Petition) -> Petition:
    """Join (conexare) a petition to the first one of the same person on the same matter: one answer
    will cover them all. Its registry entry is linked to the first one's."""
    to = Petition.objects.select_related("entry", "joined_to__entry").get(pk=to.pk)
    root = to.joined_to or to
    _require_handle(actor, petition)
    _require_handle(actor, root)
    if root.pk == petition.pk:
        raise DomainError(_("O petiție nu se conexează cu ea însăși."), field="to")
    with transaction.atomic():
        locked = {p.pk: p for p in lock_petitions([petition.pk, root.pk])}
        petition, root = locked[petition.pk], locked[root.pk]
        _require_open(petition)
        _require_open(root)
        if not _registered_before(root, petition):
            raise DomainError(
                _("Conexați petiția la prima petiție înregistrată în aceeași problemă (nr. %(number)s).")
                % {"number": petition.number},
                field="to",
            )
        if not same_petitioner(petition, root):
            raise DomainError(_("Se conexează doar petițiile aceluiași petiționar."), field="to", code="other_person")
        if (petition.kind in INFORMATION_KINDS) != (root.kind in INFORMATION_KINDS):
            raise DomainError(_("O petiție nu se conexează cu o solicitare de informații publice."), field="to")
        entry_link(actor=actor, entry=petition.entry, to=root.entry)
        moved = list(Petition.objects.filter(joined_to=petition).values_list("pk", flat=True))
        Petition.objects.filter(pk__in=moved).update(joined_to=root)
        before = petition.status
        petition.status = PetitionStatus.JOINED
        petition.joined_to = root
        petition.save(update_fields=["status", "joined_to", "updated_at"])
        _status_change(
            actor,
            petition,
            "petitions.petition.joined",
            before,
            joined_to=root.number,
            moved=moved,
            basis=rules.BASIS["joined"],
        )
    return petition


def petition_file_away_repeated(*, actor: User, petition: Petition, earlier: Petition, note: str = "") -> Petition:
    """A new petition with the same content from the same person, after the answer was sent, is
    filed away with a note of the earlier number (its registry entry linked to the earlier one)."""
    _require_handle(actor, petition)
    note = clean_text(note, field="note", label=_("Mențiune"), max_length=2000)
    with transaction.atomic():
        petition = lock_petition(petition.pk)
        earlier = Petition.objects.select_related("entry", "joined_to__entry").get(pk=earlier.pk)
        earlier = earlier.joined_to or earlier
        _require_open(petition)
        if earlier.status != PetitionStatus.ANSWERED or earlier.answer_entry_id is None:
            raise DomainError(
                _("Petiția nr. %(number)s nu are încă răspuns; conexați-le în loc să o clasați.")
                % {"number": earlier.number},
                field="earlier",
            )
        if not _registered_before(earlier, petition):
            raise DomainError(_("Petiția anterioară trebuie înregistrată înaintea acesteia."), field="earlier")
        if not same_petitioner(petition, earlier):
            raise DomainError(
                _("Se clasează doar petiția repetată a aceluiași petiționar."), field="earlier", code="other_person"
            )
        answer = earlier.answer_entry
        assert answer is not None
        text = _(
            "Clasată: petiție repetată, cu același conținut, după transmiterea răspunsului la petiția nr. "
            "%(number)s (%(basis)s)."
        ) % {"number": earlier.number, "basis": rules.BASIS["repeated"]}
        if note:
            text = f"{text} {note}"
        entry_link(actor=actor, entry=petition.entry, to=earlier.entry)
        entry_close(actor=actor, entry=petition.entry, outcome=text)
        before = petition.status
        petition.status = PetitionStatus.FILED_AWAY
        petition.filed_away_reason = FilingReason.REPEATED
        petition.filed_away_note = text
        petition.filed_away_at = timezone.now()
        petition.repeated_of = earlier
        petition.save(
            update_fields=[
                "status",
                "filed_away_reason",
                "filed_away_note",
                "filed_away_at",
                "repeated_of",
                "updated_at",
            ]
        )
        _status_change(
            actor,
            petition,
            "petitions.petition.filed_away",
            before,
            reason=FilingReason.REPEATED,
            earlier=earlier.number,
            basis=rules.BASIS["repeated"],
        )
    return petition


def _on_time(petition: Petition, outcome: str, today: dt.date) -> bool:
    due = petition.refusal_due_date if outcome in REFUSALS and petition.refusal_due_date else petition.due_date
    return today <= due


def petition_answer(
    *,
    actor: User,
    petition: Petition,
    text: str,
    legal_basis: str,
    outcome: str,
    signatory: str = "",
    channel: str | None = None,
) -> Entry:
    """Answer a petition (and those joined to it) with a letter that states its legal basis,
    registered as outgoing under the petition's number, and close their registry entries.

    Law 544/2001: a refusal (information exempted or missing) is due within 5 days of registration;
    any other answer within 10 (30 after the notice). Late answers are sent and recorded as late.
    """
    _require_handle(actor, petition)
    text = clean_text(text, field="text", label=_("Răspuns"), max_length=20000, required=True)
    legal_basis = clean_text(legal_basis, field="legal_basis", label=_("Temei legal"), max_length=500, required=True)
    signatory = clean_text(signatory, field="signatory", label=_("Semnatar"), max_length=200)
    if outcome not in Outcome.values:
        raise DomainError(_("Soluția nu este validă."), field="outcome")
    if outcome in REFUSALS and petition.kind not in INFORMATION_KINDS:
        raise DomainError(_("Refuzul motivat privește doar informațiile de interes public."), field="outcome")
    if channel is not None and channel not in Channel.values:
        raise DomainError(_("Canalul de transmitere nu este valid."), field="channel")
    if petition.status == PetitionStatus.JOINED and petition.joined_to is not None:
        raise DomainError(
            _("Petiția este conexată la nr. %(number)s; răspunsul se dă acolo.")
            % {"number": petition.joined_to.number},
            code="joined",
        )
    with transaction.atomic():
        joined_ids = list(Petition.objects.filter(joined_to=petition).values_list("pk", flat=True))
        locked = {p.pk: p for p in lock_petitions([petition.pk, *joined_ids])}
        petition = locked.pop(petition.pk)
        _require_open(petition)
        if petition.anonymous:
            raise DomainError(_("Petițiile anonime se clasează, nu se examinează."), code="anonymous")
        today = timezone.localdate()
        pdf = letters.answer_letter_pdf(petition=petition, text=text, legal_basis=legal_basis, signatory=signatory)
        send_by = channel or (Channel.EMAIL if petition.petitioner_email else Channel.POST)
        reply = entry_reply(
            actor=actor,
            entry=petition.entry,
            recipient=petition.petitioner_name,
            subject=_("Răspuns la %(kind)s nr. %(number)s")
            % {"kind": petition.get_kind_display(), "number": petition.number},
            channel=send_by,
            files=[Upload(io.BytesIO(pdf), f"raspuns-{petition.entry.number}.pdf", len(pdf))],
            close=True,
        )
        now = timezone.now()
        department = petition.entry.department or actor.department
        for item in [petition, *locked.values()]:
            if item.pk != petition.pk and item.entry.status != EntryStatus.CLOSED:
                entry_close(
                    actor=actor,
                    entry=item.entry,
                    outcome=_("Conexată la nr. %(number)s; răspuns comun %(reply)s.")
                    % {"number": petition.number, "reply": reply.display_number},
                    recipient=petition.petitioner_name,
                    sent_at=today,
                )
            before = item.status
            item.status = PetitionStatus.ANSWERED
            item.answered_at = now
            item.answer_entry = reply
            item.answer_text = text
            item.legal_basis = legal_basis
            item.outcome = outcome
            item.answered_on_time = _on_time(item, outcome, today)
            item.solving_department = department
            item.save(
                update_fields=[
                    "status",
                    "answered_at",
                    "answer_entry",
                    "answer_text",
                    "legal_basis",
                    "outcome",
                    "answered_on_time",
                    "solving_department",
                    "updated_at",
                ]
            )
            _status_change(
                actor,
                item,
                "petitions.petition.answered",
                before,
                reply=reply.pk,
                outcome=outcome,
                on_time=item.answered_on_time,
                legal_basis=legal_basis,
                joined_to=petition.number if item.pk != petition.pk else None,
            )
        _deliver_answer(actor=actor, petition=petition, reply=reply, outcome=outcome)
    return reply


def _deliver_answer(*, actor: User, petition: Petition, reply: Entry, outcome: str) -> None:
    """Deliver the answer letter like any issued document: to the petitioner's inbox (an account)
    and by e-mail, both with a link to the letter that needs no login; without an e-mail address
    (or when the message cannot be made) it is marked to be printed and posted."""
    user = petition.petitioner_user
    email = petition.petitioner_email or (user.email if user is not None else "")
    told = _tell_petitioner(
        petition=petition,
        key="petition.answered",
        context={
            "reply_number": reply.display_number,
            "outcome": str(Outcome(outcome).label),
            "tracking_url": delivery.answer_url(petition),
        },
    )
    petition.answer_in_inbox = told and user is not None
    petition.answer_emailed_to = email if told else ""
    petition.answer_by_post = not petition.answer_emailed_to
    petition.save(update_fields=["answer_in_inbox", "answer_emailed_to", "answer_by_post", "updated_at"])
    audit_record(
        actor=actor,
        action="petitions.answer.delivered",
        obj=petition,
        summary={
            "number": petition.number,
            "reply": reply.pk,
            "inbox": petition.answer_in_inbox,
            "email": bool(petition.answer_emailed_to),
            "post": petition.answer_by_post,
        },
    )


def petition_answer_mark_posted(*, actor: User, petition: Petition) -> Petition:
    """The answer that goes on paper has been printed and posted (recorded once)."""
    _require_handle(actor, petition)
    with transaction.atomic():
        petition = lock_petition(petition.pk)
        if petition.answer_entry_id is None or not petition.answer_by_post:
            raise DomainError(_("Răspunsul acestei petiții nu se trimite prin poștă."), code="not_by_post")
        if petition.answer_posted_at is not None:
            raise DomainError(
                _("Răspunsul a fost deja expediat la %(date)s.")
                % {"date": f"{timezone.localtime(petition.answer_posted_at):%d.%m.%Y}"},
                code="already_posted",
            )
        petition.answer_posted_at = timezone.now()
        petition.save(update_fields=["answer_posted_at", "updated_at"])
        audit_record(
            actor=actor,
            action="petitions.answer.posted",
            obj=petition,
            summary={"number": petition.number, "reply": petition.answer_entry_id},
        )
    return petition


def petition_photo_set_public(*, actor: User, photo: PetitionPhoto, is_public: bool) -> PetitionPhoto:
    """Hide (or show again) the public copy of a photo, e.g. when it shows a person or a car plate."""
    _require_handle(actor, photo.petition)
    with transaction.atomic():
        lock_petition(photo.petition_id)
        photo = PetitionPhoto.objects.select_for_update().get(pk=photo.pk)
        if photo.is_public == is_public:
            return photo
        photo.is_public = is_public
        photo.save(update_fields=["is_public"])
        audit_record(
            actor=actor,
            action="petitions.photo.published" if is_public else "petitions.photo.hidden",
            obj=photo,
            summary={"petition": photo.petition_id},
        )
    return photo
