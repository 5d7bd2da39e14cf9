"""`manage.py open311_key CLIENT_NAME`: a new Open311 API key for a client application (created if
new); the previous key stops working. The key is printed once on standard output; only its hash
is kept."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ghiseu.core.errors import DomainError
from ghiseu.petitions.services import open311_client_issue_key


class Command(BaseCommand):
    help = "Prints a new Open311 API key for CLIENT_NAME (the client is created if it does not exist)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("client_name", help="the client application's name, e.g. 'Lupeni Civic'")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            client, key = open311_client_issue_key(name=options["client_name"])
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        if not client.is_active:
            self.stderr.write(f"Clientul „{client.name}” este dezactivat: cheia nu va funcționa până la reactivare.")
        self.stdout.write(key)
