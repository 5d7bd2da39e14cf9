"""The notifications part of a citizen's "my data": the messages in their inbox and the e-mails sent
to them (registered from `NotificationsConfig.ready()`)."""

from __future__ import annotations

from typing import Any

from ghiseu.accounts.mydata import DataPart, register_data_provider
from ghiseu.notifications.models import Notification


def notifications_data(user: Any) -> DataPart:
    records = [
        {
            "channel": n.channel,
            "to": n.recipient_email,
            "subject": n.subject,
            "body": n.body,
            "status": n.status,
            "created_at": n.created_at,
            "sent_at": n.sent_at,
            "read_at": n.read_at,
            "about": {"type": n.related_type, "id": n.related_id} if n.related_type else None,
        }
        for n in Notification.objects.filter(recipient_id=user.pk).order_by("created_at", "pk")
    ]
    return DataPart(records=records)


def register_my_data_provider() -> None:
    register_data_provider("notifications", notifications_data)
