"""The archive: dossiers by nomenclator and year, documents with their versions and pages,
the access log, retro-digitization imports and fixity problems.

Law 16/1996 (National Archives): a dossier is constituted per year per nomenclator entry and
kept for the nomenclator's retention period (or permanently). Law 135/2007 (electronic
archiving): each document carries a metadata sheet — owner, issuer, right holder, history,
type, classification, format, keywords, physical location, unique identifier, issue date,
archiving date, retention period (`selectors.document_metadata_sheet`). The original file is
kept unaltered beside an archival PDF/A copy, both addressed by SHA-256 (`core.StoredFile`).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ghiseu.accounts.models import Department, NomenclatorEntry
from ghiseu.core.models import StoredFile


class AccessClass(models.TextChoices):
    """Who may read a dossier or a document (ghiseu/archive/permissions.py); strictest last."""

    PUBLIC = "public", _("public")
    INTERNAL = "internal", _("intern")
    CONFIDENTIAL = "confidential", _("confidențial")
    PERSONAL_DATA = "personal_data", _("date cu caracter personal")


ACCESS_RANK = {
    AccessClass.PUBLIC: 0,
    AccessClass.INTERNAL: 1,
    AccessClass.CONFIDENTIAL: 2,
    AccessClass.PERSONAL_DATA: 3,
}


def stricter_access(first: str, second: str) -> str:
    """The stricter of two access classes (a document is never easier to read than its dossier)."""
    return first if ACCESS_RANK[AccessClass(first)] >= ACCESS_RANK[AccessClass(second)] else second


class DossierStatus(models.TextChoices):
    OPEN = "open", _("deschis")
    CLOSED = "closed", _("închis")
    HANDED_OVER = "handed_over", _("predat la arhivă")
    PROPOSED_FOR_DISPOSAL = "proposed_for_disposal", _("propus pentru eliminare")
    DISPOSED = "disposed", _("eliminat")
    TRANSFERRED = "transferred", _("predat la Arhivele Naționale")


def expiry_year_for(year: int, retention_years: int | None) -> int | None:
    """The last year a dossier must be kept; None when it is kept permanently.

    The retention period runs from 1 January of the year after the dossier's year, so a
    dossier of 2020 kept 5 years is kept through 2025 and may be proposed for disposal in 2026.
    """
    return None if retention_years is None else year + retention_years


class Dossier(models.Model):
    """A dossier (dosar) constituted per year per nomenclator entry (a large one in volumes)."""

    file_code = models.ForeignKey(
        NomenclatorEntry, verbose_name=_("indicativ dosar"), on_delete=models.PROTECT, related_name="dossiers"
    )
    year = models.PositiveSmallIntegerField(_("an"))
    volume = models.PositiveSmallIntegerField(_("volum"), default=1)
    title = models.CharField(_("titlu"), max_length=500)
    department = models.ForeignKey(
        Department, verbose_name=_("compartiment"), on_delete=models.PROTECT, related_name="archive_dossiers"
    )
    date_from = models.DateField(_("data primului document"), null=True, blank=True)
    date_to = models.DateField(_("data ultimului document"), null=True, blank=True)
    retention_years = models.PositiveSmallIntegerField(
        _("termen de păstrare (ani)"), null=True, blank=True, help_text=_("Gol înseamnă permanent.")
    )
    expiry_year = models.PositiveSmallIntegerField(
        _("păstrat până în anul"), null=True, blank=True, editable=False, db_index=True
    )
    physical_location = models.CharField(_("locul originalului pe hârtie"), max_length=300, blank=True)
    access = models.CharField(_("acces"), max_length=20, choices=AccessClass.choices, default=AccessClass.INTERNAL)
    status = models.CharField(_("stare"), max_length=30, choices=DossierStatus.choices, default=DossierStatus.OPEN)
    handed_over_at = models.DateTimeField(_("predat la arhivă la"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "file_code__code", "volume"]
        constraints = [
            models.UniqueConstraint(fields=["file_code", "year", "volume"], name="archive_one_dossier_per_code_year"),
        ]
        indexes = [
            models.Index(fields=["department", "year"]),
            models.Index(fields=["status", "expiry_year"]),
        ]
        verbose_name = _("dosar")
        verbose_name_plural = _("dosare")

    def __str__(self) -> str:
        volume = f" vol. {self.volume}" if self.volume != 1 else ""
        return f"{self.file_code.code}/{self.year}{volume} — {self.title}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.expiry_year = expiry_year_for(self.year, self.retention_years)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "expiry_year"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_permanent(self) -> bool:
        return self.retention_years is None

    @property
    def retention_label(self) -> str:
        if self.retention_years is None:
            return str(_("permanent"))
        return str(_("%(years)d ani") % {"years": self.retention_years})


class Document(models.Model):
    """A document in a dossier, with the Law 135/2007 metadata sheet; its history is the audit log."""

    uid = models.UUIDField(_("identificator unic"), default=uuid.uuid4, unique=True, editable=False)
    dossier = models.ForeignKey(Dossier, verbose_name=_("dosar"), on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(_("titlu"), max_length=500)
    number = models.CharField(_("număr"), max_length=60, blank=True)
    document_date = models.DateField(_("data emiterii"), null=True, blank=True)
    keywords = models.CharField(_("cuvinte cheie"), max_length=500, blank=True)
    access = models.CharField(_("acces"), max_length=20, choices=AccessClass.choices, default=AccessClass.INTERNAL)
    issuer = models.CharField(_("emitent"), max_length=300, blank=True)
    owner = models.CharField(_("deținător"), max_length=300, blank=True)
    right_holder = models.CharField(_("titularul dreptului de dispoziție"), max_length=300, blank=True)
    doc_type = models.CharField(_("tip"), max_length=120, blank=True)
    classification = models.CharField(_("clasificare"), max_length=120, blank=True)
    format = models.CharField(_("format digital"), max_length=120, blank=True)
    physical_location = models.CharField(_("locul originalului pe hârtie"), max_length=300, blank=True)
    archived_at = models.DateTimeField(_("data arhivării"), default=timezone.now)
    retention_years = models.PositiveSmallIntegerField(
        _("termen de păstrare (ani)"), null=True, blank=True, help_text=_("Gol înseamnă permanent.")
    )
    page_count = models.PositiveIntegerField(_("număr de pagini"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dossier", "document_date", "pk"]
        indexes = [models.Index(fields=["dossier", "document_date"])]
        verbose_name = _("document arhivat")
        verbose_name_plural = _("documente arhivate")

    def __str__(self) -> str:
        return self.title

    @property
    def issue_date(self) -> object:
        """Law 135/2007 "data emiterii": the date the document bears."""
        return self.document_date

    @property
    def effective_access(self) -> str:
        return stricter_access(self.access, self.dossier.access)


class VersionKind(models.TextChoices):
    ORIGINAL = "original", _("original (nemodificat)")
    ARCHIVAL = "archival", _("copie de arhivare PDF/A")


class DocumentVersion(models.Model):
    """A file of a document: the original exactly as received, or its archival PDF/A copy."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    kind = models.CharField(_("tip"), max_length=10, choices=VersionKind.choices)
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField(_("nume"), max_length=255, blank=True)
    format = models.CharField(_("format"), max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["document", "kind"], name="archive_one_version_per_kind"),
            # The same bytes are the original of one document only: imports are idempotent by SHA-256.
            models.UniqueConstraint(fields=["file"], condition=Q(kind="original"), name="archive_original_file_once"),
        ]
        verbose_name = _("versiune")
        verbose_name_plural = _("versiuni")

    def __str__(self) -> str:
        return f"{self.document_id} {self.kind} {self.file.sha256[:12]}"


class Page(models.Model):
    """One page of a document with its text (OCR, or the scan's own text layer)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField(_("pagina"))
    text = models.TextField(_("text"), blank=True)
    ocr_confidence = models.FloatField(
        _("încredere OCR"), null=True, blank=True, help_text=_("Media încrederii pe cuvinte (0–100).")
    )
    has_text_layer = models.BooleanField(
        _("avea strat de text"), default=False, help_text=_("Textul vine din scanare, nu din OCR.")
    )

    class Meta:
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="archive_one_page_number")]
        verbose_name = _("pagină")
        verbose_name_plural = _("pagini")

    def __str__(self) -> str:
        return f"{self.document_id} p. {self.number}"


class AccessAction(models.TextChoices):
    VIEW = "view", _("vizualizare")
    DOWNLOAD = "download", _("descărcare")


class AccessLogEntry(models.Model):
    """Who looked at or downloaded what, and when. Append-only."""

    at = models.DateTimeField(_("la"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="archive_accesses"
    )
    user_label = models.CharField(_("utilizator"), max_length=200)
    action = models.CharField(_("acțiune"), max_length=10, choices=AccessAction.choices)
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="access_log")
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="access_log")
    page = models.PositiveIntegerField(_("pagina"), null=True, blank=True)
    detail = models.CharField(_("detalii"), max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["document", "at"]),
            models.Index(fields=["dossier", "at"]),
            models.Index(fields=["user", "at"]),
        ]
        verbose_name = _("acces în arhivă")
        verbose_name_plural = _("jurnalul accesului la arhivă")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_label} {self.action} {self.document_id or self.dossier_id}"


class BatchStatus(models.TextChoices):
    REGISTERING = "registering", _("înregistrare fișiere")
    PROCESSING = "processing", _("în procesare")
    FINISHED = "finished", _("terminat")


class ImportBatch(models.Model):
    """A folder or ZIP of scans with its manifest, imported once however often it is run."""

    source = models.CharField(_("sursă"), max_length=1000)
    manifest_name = models.CharField(_("manifest"), max_length=255)
    manifest_sha256 = models.CharField(max_length=64)
    status = models.CharField(_("stare"), max_length=20, choices=BatchStatus.choices, default=BatchStatus.REGISTERING)
    force_ocr = models.BooleanField(_("OCR forțat"), default=False)
    counts = models.JSONField(_("numărători"), default=dict, blank=True)
    report = models.ForeignKey(
        StoredFile, verbose_name=_("raport (CSV)"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["manifest_sha256"])]
        verbose_name = _("lot de import")
        verbose_name_plural = _("loturi de import")

    def __str__(self) -> str:
        return f"#{self.pk} {self.source}"


class ItemStatus(models.TextChoices):
    PENDING = "pending", _("în așteptare")
    PROCESSING = "processing", _("în lucru")
    DONE = "done", _("importat")
    FAILED = "failed", _("respins")
    SKIPPED = "skipped", _("deja importat")


FINAL_ITEM_STATUSES = (ItemStatus.DONE, ItemStatus.FAILED, ItemStatus.SKIPPED)


class ImportItem(models.Model):
    """One manifest line (or one file the manifest does not name) of a batch."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="items")
    line = models.PositiveIntegerField(_("linia din manifest"), null=True, blank=True)
    file_name = models.CharField(_("fișier"), max_length=500, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    original = models.ForeignKey(StoredFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    content_type = models.CharField(max_length=100, blank=True)
    status = models.CharField(_("stare"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.PENDING)
    reason_code = models.CharField(_("cod motiv"), max_length=40, blank=True)
    reason = models.TextField(_("motiv"), blank=True)
    row = models.JSONField(_("date din manifest"), default=dict, blank=True)
    expected_pages = models.PositiveIntegerField(_("pagini declarate"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("pagini găsite"), null=True, blank=True)
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="import_items")
    task_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=200, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    ocr_seconds = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["batch", "line", "file_name"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "line"], name="archive_item_one_per_line"),
            models.UniqueConstraint(
                fields=["batch", "file_name"], condition=Q(line__isnull=True), name="archive_item_one_per_orphan_file"
            ),
        ]
        indexes = [models.Index(fields=["batch", "status"])]
        verbose_name = _("element de import")
        verbose_name_plural = _("elemente de import")

    def __str__(self) -> str:
        return f"#{self.batch_id}:{self.line or '-'} {self.file_name} ({self.status})"


class FixityProblemKind(models.TextChoices):
    MISMATCH = "mismatch", _("conținut modificat (SHA-256 diferit)")
    MISSING = "missing", _("fișier lipsă")


class FixityCheck(models.Model):
    """When a stored file was last re-read, and whether it still matched its SHA-256."""

    stored_file = models.OneToOneField(StoredFile, on_delete=models.CASCADE, related_name="+")
    checked_at = models.DateTimeField()
    ok = models.BooleanField()

    class Meta:
        indexes = [models.Index(fields=["checked_at"])]
        verbose_name = _("verificare de integritate")
        verbose_name_plural = _("verificări de integritate")

    def __str__(self) -> str:
        return f"{self.stored_file_id} {'ok' if self.ok else 'PROBLEM'} {self.checked_at:%Y-%m-%d}"


class FixityProblem(models.Model):
    """A stored file found changed or missing; open until resolved (at most one open per file)."""

    stored_file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("tip"), max_length=10, choices=FixityProblemKind.choices)
    detected_at = models.DateTimeField(_("constatat la"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("constatat ultima dată"), default=timezone.now)
    resolved_at = models.DateTimeField(_("rezolvat la"), null=True, blank=True)
    detail = models.TextField(_("detalii"), blank=True)

    class Meta:
        ordering = ["-detected_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["stored_file"], condition=Q(resolved_at__isnull=True), name="archive_one_open_fixity_problem"
            ),
        ]
        verbose_name = _("problemă de integritate")
        verbose_name_plural = _("probleme de integritate")

    def __str__(self) -> str:
        return f"{self.stored_file_id} {self.kind}"


class DisposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("propusă, neconfirmată")
    CONFIRMED = "confirmed", _("confirmată, fișierele eliminate")


class DisposalProposal(models.Model):
    """Dossiers proposed for disposal (Law 16/1996); nothing is destroyed before it is confirmed.

    Confirmation records the selection commission's decision (number and date) and who
    confirmed it; the stored files are then deleted and a `DisposalRecord` per dossier stays.
    """

    status = models.CharField(
        _("stare"), max_length=12, choices=DisposalStatus.choices, default=DisposalStatus.PROPOSED
    )
    dossiers = models.ManyToManyField(Dossier, verbose_name=_("dosare"), related_name="disposal_proposals")
    created_at = models.DateTimeField(_("propusă la"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_number = models.CharField(_("numărul deciziei comisiei"), max_length=60, blank=True)
    decision_date = models.DateField(_("data deciziei comisiei"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmată la"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("propunere de eliminare")
        verbose_name_plural = _("propuneri de eliminare")

    def __str__(self) -> str:
        return f"#{self.pk} ({self.status})"


class DisposalRecord(models.Model):
    """What was disposed of, kept forever: the dossier, its pages and its files' SHA-256s."""

    proposal = models.ForeignKey(DisposalProposal, on_delete=models.PROTECT, related_name="records")
    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="disposal_record")
    file_code = models.CharField(_("indicativ dosar"), max_length=40)
    title = models.CharField(_("titlu"), max_length=500)
    year = models.PositiveSmallIntegerField(_("an"))
    volume = models.PositiveSmallIntegerField(_("volum"), default=1)
    department = models.CharField(_("compartiment"), max_length=200)
    date_from = models.DateField(null=True, blank=True)
    date_to = models.DateField(null=True, blank=True)
    retention_years = models.PositiveSmallIntegerField(null=True, blank=True)
    pages = models.PositiveIntegerField(_("pagini"), default=0)
    documents = models.JSONField(_("documente"), default=list, blank=True)
    disposed_at = models.DateTimeField(_("eliminat la"), default=timezone.now)

    class Meta:
        ordering = ["-disposed_at", "file_code"]
        verbose_name = _("înregistrare de eliminare")
        verbose_name_plural = _("registrul eliminărilor")

    def __str__(self) -> str:
        return f"{self.file_code}/{self.year} — {self.title}"
