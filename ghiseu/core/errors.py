"""Domain errors: raised by services before anything is written, shown to people translated."""

from __future__ import annotations

from django.utils.functional import Promise


class DomainError(Exception):
    """A rule of the domain was broken by the input; nothing has been written.

    `message` is already translatable (gettext_lazy); `field` names the form field when the
    error belongs to one; `status` is the HTTP status a view or the API answers with.
    """

    status = 400

    def __init__(self, message: str | Promise, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.code = code

    def __str__(self) -> str:
        return str(self.message)


class NotFound(DomainError):
    status = 404


class PermissionDenied(DomainError):
    status = 403
