"""`manage.py archive_export OUT --dossier ID [--dossier ID ...] | --code CODE --year YEAR [--user U] [--zip]`

Writes the dossiers as a validated BagIt package in the folder OUT (ghiseu/archive/services/export.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ghiseu.accounts.models import Role, User
from ghiseu.archive.models import Dossier
from ghiseu.archive.services.export import dossiers_export_bag
from ghiseu.core.errors import DomainError


class Command(BaseCommand):
    help = "Export dossiers of the archive as a BagIt package (e.g. for the National Archives)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", help="folder to create (must not exist or be empty)")
        parser.add_argument("--dossier", type=int, action="append", default=[], help="dossier id (repeatable)")
        parser.add_argument("--code", help="file code (indicativ), with --year: every volume of that dossier")
        parser.add_argument("--year", type=int)
        parser.add_argument("--user", help="the archivist the export is recorded for (default: the first one)")
        parser.add_argument("--zip", action="store_true", help="also write OUT.zip")

    def handle(self, *args: Any, **options: Any) -> None:
        qs = Dossier.objects.select_related("file_code", "department")
        dossiers = list(qs.filter(pk__in=options["dossier"]).order_by("pk")) if options["dossier"] else []
        if options["code"]:
            if not options["year"]:
                raise CommandError("--code needs --year")
            dossiers += list(qs.filter(file_code__code=options["code"], year=options["year"]).order_by("volume"))
        if not dossiers:
            raise CommandError("No dossier found: give --dossier ID or --code CODE --year YEAR.")
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
        else:
            user = User.objects.filter(role=Role.ARCHIVIST, is_active=True).order_by("pk").first()
        if user is None:
            raise CommandError("No archivist user (give --user).")
        out = Path(options["out"])
        try:
            bag = dossiers_export_bag(actor=user, dossiers=dossiers, target=out)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{out}: {len(dossiers)} dossiers, {len(bag.payload_entries())} files, valid BagIt.")
        if options["zip"]:
            archive = shutil.make_archive(str(out), "zip", root_dir=out.parent, base_dir=out.name)
            self.stdout.write(archive)
