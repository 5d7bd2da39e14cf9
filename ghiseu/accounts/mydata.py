""" "My data": everything the city hall holds about a citizen, as one ZIP (JSON + their files).

The accounts app sits below the apps that hold a citizen's requests, petitions and messages, so it
does not import them: each registers a provider from its `AppConfig.ready()`:

    from ghiseu.accounts.mydata import register_data_provider
    register_data_provider("petitions", petitions_of)

A provider takes the user and returns a `DataPart`: JSON-ready records and the files that belong
with them (each opened only while the ZIP is written). It must return only that user's data.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

KEY_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


@dataclass(frozen=True)
class DataFile:
    """A file of the citizen's: `name` is its path inside the ZIP's folder of the provider."""

    name: str
    open: Callable[[], IO[bytes]]


@dataclass
class DataPart:
    records: Any
    files: list[DataFile] = field(default_factory=list)


Provider = Callable[[Any], DataPart]

_providers: dict[str, Provider] = {}


def register_data_provider(key: str, provider: Provider) -> None:
    if not key or not set(key) <= KEY_CHARS:
        raise ValueError(f"my data: key must be lowercase letters, digits and _, got {key!r}")
    existing = _providers.get(key)
    if existing is not None and existing is not provider:
        raise ValueError(f"my data: a provider for {key!r} is already registered ({existing!r})")
    _providers[key] = provider


def unregister_data_provider(key: str) -> None:
    _providers.pop(key, None)


def get_data_providers() -> dict[str, Provider]:
    return dict(sorted(_providers.items()))


def _safe_name(name: str) -> str:
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    return "/".join(parts) or "fisier"


def collect_my_data(user: Any) -> tuple[dict[str, Any], dict[str, DataFile]]:
    """The JSON document and the files (by path in the ZIP) of every registered provider."""
    document: dict[str, Any] = {
        "generated_at": timezone.now(),
        "institution": None,
        "parts": {},
    }
    files: dict[str, DataFile] = {}
    for key, provider in get_data_providers().items():
        part = provider(user)
        document["parts"][key] = part.records
        for data_file in part.files:
            path = f"fisiere/{key}/{_safe_name(data_file.name)}"
            files.setdefault(path, data_file)
    return document, files


def write_my_data_zip(user: Any, *, institution: dict[str, str] | None = None) -> tuple[IO[bytes], int]:
    """The ZIP in a temporary file (rewound), and how many files it holds besides the JSON."""
    document, files = collect_my_data(user)
    document["institution"] = institution or {}
    document["files"] = sorted(files)
    out = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 - returned open
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datele-mele.json", json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
        for path, data_file in sorted(files.items()):
            with data_file.open() as source, archive.open(path, "w", force_zip64=True) as target:
                for chunk in iter(lambda: source.read(1024 * 1024), b""):
                    target.write(chunk)
    out.seek(0)
    return out, len(files)
