"""A real SMTP server (aiosmtpd) on 127.0.0.1, and the worker of the notifications' queue."""

from __future__ import annotations

import email
import email.policy
import signal
import socket
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.db import connection
from django_tasks_db.management.commands import db_worker


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Collector:
    """An aiosmtpd handler that keeps what it receives and refuses the addresses in `refuse`."""

    def __init__(self) -> None:
        self.envelopes: list[Any] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]) -> str:
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[EmailMessage]:
        parsed = []
        for envelope in self.envelopes:
            raw = envelope.original_content or envelope.content
            message = email.message_from_bytes(raw, policy=email.policy.default)
            assert isinstance(message, EmailMessage)
            parsed.append(message)
        return parsed


class SmtpServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.handler = Collector()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self) -> list[EmailMessage]:
        return self.handler.messages


def run_worker(**options: Any) -> None:
    """The worker of the notifications' queue, run until nothing is ready (signal handlers restored).

    In a test wrapped in a transaction (`django_db` without transaction=True) the worker must not
    close the connection between tasks (it would end the test's transaction): its
    `close_old_connections` is then made a no-op. Tests about commit and rollback use
    transaction=True and run the worker untouched.
    """
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    keep_connection = connection.in_atomic_block
    original_close = db_worker.close_old_connections
    try:
        if keep_connection:
            db_worker.close_old_connections = lambda **kwargs: None
        call_command(
            "db_worker",
            batch=True,
            queue_name="default",
            startup_delay=False,
            reload=False,
            verbosity=0,
            **options,
        )
    finally:
        db_worker.close_old_connections = original_close
        for sig, handler in saved.items():
            signal.signal(sig, handler)
