"""`manage.py api_token USERNAME [--rotate]`: print the API token of a staff member.

The key alone goes to standard output (`TOKEN=$(manage.py api_token registratura)`);
whether it was created or already existed goes to standard error.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from ghiseu.accounts.models import User
from ghiseu.accounts.services import api_token_get_or_create, api_token_rotate
from ghiseu.core.errors import DomainError


class Command(BaseCommand):
    help = "Creează (sau arată) tokenul API al unui membru al personalului; îl tipărește."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="numele de utilizator")
        parser.add_argument("--rotate", action="store_true", help="înlocuiește tokenul existent cu unul nou")

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"]
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("Utilizatorul „%(user)s” nu există.") % {"user": username})
        try:
            if options["rotate"]:
                token = api_token_rotate(user=user)
                note = _("Token nou pentru „%(user)s”; cel vechi nu mai funcționează.") % {"user": username}
            else:
                token, created = api_token_get_or_create(user=user)
                note = (
                    _("Token nou creat pentru „%(user)s”.") if created else _("Tokenul existent al „%(user)s”.")
                ) % {"user": username}
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        self.stderr.write(note)
        self.stdout.write(token.key)
