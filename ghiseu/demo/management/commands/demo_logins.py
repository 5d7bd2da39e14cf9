"""`python manage.py demo_logins`: the demo accounts, their roles and the addresses to try."""

from __future__ import annotations

from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandParser
from rich.console import Console
from rich.table import Table

from ghiseu.accounts.models import User
from ghiseu.demo import data
from ghiseu.demo.petitions import DEMO_OPEN311_CLIENT, DEMO_OPEN311_KEY
from ghiseu.petitions.models import Open311Client, hash_open311_key
from ghiseu.registry.models import Entry, Status

URLS = [
    ("Registratura", "/registratura/"),
    ("Starea unei înregistrări (public)", "/stare/"),
    ("Petiții și sesizări (public)", "/sesizari/"),
    ("Petiții (personal)", "/petitii/"),
    ("Administrare Django", "/admin/"),
    ("API și documentația OpenAPI", "/api/v1/docs"),
]


class Command(BaseCommand):
    help = "Prints the demo logins (username, role, department, password) and the URLs to open."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--base-url", default="http://127.0.0.1:8000", help="Where the demo runs.")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.ending = ""  # rich writes its own line ends
        console = Console(file=cast(IO[str], self.stdout), highlight=False, width=140)
        usernames = [s.username for s in data.STAFF]
        users = {u.username: u for u in User.objects.filter(username__in=usernames).select_related("department")}
        table = Table(title="Conturi demo — Primăria Municipiului Lupeni")
        for column in ("utilizator", "rol", "compartiment", "parolă"):
            table.add_column(column)
        for name in usernames:
            user = users.get(name)
            if user is None:
                continue
            table.add_row(name, user.get_role_display(), str(user.department or "—"), data.DEMO_PASSWORD)
        console.print(table)
        if not users:
            console.print("Nu există conturi demo: rulați întâi `python manage.py seed_demo`.")
        base = options["base_url"].rstrip("/")
        for label, path in URLS:
            console.print(f"{label}: {base}{path}")
        client = Open311Client.objects.filter(name=DEMO_OPEN311_CLIENT, is_active=True).first()
        if client is not None and client.key_hash == hash_open311_key(DEMO_OPEN311_KEY):
            console.print(
                f"Open311 GeoReport v2: {base}/open311/v2/services.json — cheia clientului „{client.name}”: "
                f"{DEMO_OPEN311_KEY} (doar pentru demo)"
            )
        sample = (
            Entry.objects.filter(answers__isnull=True, direction="incoming")
            .exclude(status=Status.CLOSED)
            .order_by("-registered_at")
            .first()
        )
        if sample is not None:
            console.print(
                f"Exemplu pentru {base}/stare/: numărul {sample.display_number}, codul {sample.tracking_code}"
            )
