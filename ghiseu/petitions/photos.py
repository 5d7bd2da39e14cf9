"""Photos of complaints: checked by content, refused when they are decompression bombs, their EXIF
GPS position read, and a public copy made without any EXIF.

The original bytes are kept unaltered (as a registry attachment, content-addressed, never public);
the public copy is re-encoded by Pillow from the pixels only, so that no EXIF, XMP, ICC or text
chunk of the original can leak (camera, time, GPS position of a private person's home).
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from ghiseu.core.errors import DomainError
from ghiseu.core.files import sniff_content_type
from ghiseu.petitions import rules

ACCEPTED = {"image/jpeg": "JPEG", "image/png": "PNG"}


@dataclass(frozen=True)
class CheckedPhoto:
    name: str
    content: bytes
    content_type: str
    sha256: str
    width: int
    height: int
    gps_latitude: Decimal | None
    gps_longitude: Decimal | None
    public_content: bytes


def _refuse(name: str, message: str, code: str = "bad_photo") -> DomainError:
    return DomainError(message % {"name": name}, field="photos", code=code)


def _read(upload: IO[bytes], name: str) -> bytes:
    limit = settings.GHISEU_MAX_UPLOAD_BYTES
    upload.seek(0)
    content = upload.read(limit + 1)
    if not content:
        raise _refuse(name, _("Fotografia „%(name)s” este goală."), "empty")
    if len(content) > limit:
        raise DomainError(
            _("Fotografia „%(name)s” depășește limita de %(limit)s.") % {"name": name, "limit": filesizeformat(limit)},
            field="photos",
            code="too_large",
        )
    return content


def _rational(value: Any) -> Decimal:
    if isinstance(value, tuple) and len(value) == 2:  # (numerator, denominator)
        return Decimal(value[0]) / Decimal(value[1])
    return Decimal(str(float(value)))


def _dms(values: Any, ref: Any, negative: str) -> Decimal | None:
    try:
        degrees, minutes, seconds = (_rational(v) for v in values)
    except (TypeError, ValueError, ZeroDivisionError, InvalidOperation):
        return None
    result = degrees + minutes / 60 + seconds / 3600
    if isinstance(ref, bytes):
        ref = ref.decode(errors="ignore")
    if str(ref).strip().upper() == negative:
        result = -result
    if not result.is_finite():
        return None
    return result.quantize(Decimal("0.000001"))


def gps_position(image: Image.Image) -> tuple[Decimal, Decimal] | None:
    """The EXIF GPS position of a photo (WGS84 degrees), or None when absent or meaningless."""
    try:
        gps = image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    except Exception:
        return None
    if not gps:
        return None
    lat = _dms(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef, "N"), "S")
    long = _dms(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef, "E"), "W")
    if lat is None or long is None or not (-90 <= lat <= 90) or not (-180 <= long <= 180):
        return None
    if lat == 0 and long == 0:  # cameras without a fix write zeros
        return None
    return lat, long


def _public_copy(image: Image.Image, fmt: str) -> bytes:
    """The pixels only: orientation applied, resized to the public size, no metadata at all."""
    image = ImageOps.exif_transpose(image) or image
    max_side = int(rules.option("photo_public_max_side"))
    if max(image.size) > max_side:
        image = image.copy()
        image.thumbnail((max_side, max_side))
    if fmt == "JPEG":
        clean = image.convert("RGB")
    else:
        mode = image.mode if image.mode in {"RGB", "RGBA", "L", "LA", "P", "1"} else "RGBA"
        clean = image.convert(mode)
    clean.info = {}
    out = io.BytesIO()
    if fmt == "JPEG":
        clean.save(out, format="JPEG", quality=85, optimize=True)
    else:
        clean.save(out, format="PNG", optimize=True)
    return out.getvalue()


def photo_check(upload: IO[bytes], *, name: str) -> CheckedPhoto:
    """Check a photo and prepare its public copy; a DomainError when it is not a sound JPEG or PNG."""
    content = _read(upload, name)
    content_type = sniff_content_type(content[:8192])
    fmt = ACCEPTED.get(content_type)
    if fmt is None:
        raise _refuse(name, _("„%(name)s” nu este o fotografie JPEG sau PNG."), "bad_type")
    max_pixels = int(rules.option("photo_max_pixels"))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                if image.format != fmt:
                    raise _refuse(name, _("„%(name)s” nu este o fotografie JPEG sau PNG."), "bad_type")
                width, height = image.size
                if width < 1 or height < 1 or width * height > max_pixels:
                    raise _refuse(
                        name,
                        _("Fotografia „%(name)s” are prea mulți pixeli; micșorați-o și încercați din nou."),
                        "too_many_pixels",
                    )
                image.load()
                position = gps_position(image)
                public = _public_copy(image, fmt)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(
            name, _("Fotografia „%(name)s” are prea mulți pixeli; micșorați-o și încercați din nou."), "too_many_pixels"
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise _refuse(name, _("Fotografia „%(name)s” este deteriorată sau nu poate fi citită."), "broken") from None
    return CheckedPhoto(
        name=name[:255],
        content=content,
        content_type=content_type,
        sha256=hashlib.sha256(content).hexdigest(),
        width=width,
        height=height,
        gps_latitude=position[0] if position else None,
        gps_longitude=position[1] if position else None,
        public_content=public,
    )
