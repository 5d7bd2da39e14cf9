from __future__ import annotations

import io
from typing import Any, cast

import factory

from ghiseu.accounts.tests.factories import NomenclatorEntryFactory
from ghiseu.archive.models import AccessClass, Document, DocumentVersion, Dossier, Page, VersionKind
from ghiseu.core.files import store_file


class DossierFactory(factory.django.DjangoModelFactory[Dossier]):
    class Meta:
        model = Dossier

    file_code = factory.SubFactory(NomenclatorEntryFactory)
    year = 2021
    volume = factory.Sequence(lambda n: n + 1)
    title = factory.LazyAttribute(lambda d: f"{d.file_code.name}, {d.year}")
    department = factory.LazyAttribute(lambda d: d.file_code.department)
    retention_years = factory.LazyAttribute(lambda d: d.file_code.retention_years)
    access = AccessClass.INTERNAL


class DocumentFactory(factory.django.DjangoModelFactory[Document]):
    class Meta:
        model = Document

    dossier = factory.SubFactory(DossierFactory)
    title = factory.Sequence(lambda n: f"Document {n}")
    access = factory.LazyAttribute(lambda d: d.dossier.access)
    page_count = 1


def new_dossier(**kwargs: Any) -> Dossier:
    return cast(Dossier, DossierFactory(**kwargs))


def new_document(**kwargs: Any) -> Document:
    return cast(Document, DocumentFactory(**kwargs))


def document_with_files(*, content: bytes = b"%PDF-1.4 original", **kwargs: Any) -> Document:
    """A document with its two versions (stored files) and one page."""
    document = new_document(**kwargs)
    original = store_file(io.BytesIO(content), content_type="application/pdf")
    archival = store_file(io.BytesIO(content + b" archival copy"), content_type="application/pdf")
    DocumentVersion.objects.create(document=document, kind=VersionKind.ORIGINAL, file=original, original_name="o.pdf")
    DocumentVersion.objects.create(document=document, kind=VersionKind.ARCHIVAL, file=archival, original_name="a.pdf")
    Page.objects.create(document=document, number=1, text="Registratura generală")
    return document


__all__ = ["DocumentFactory", "DossierFactory", "document_with_files", "new_document", "new_dossier"]
