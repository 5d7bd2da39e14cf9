"""Photos of complaints: JPEG/PNG only by content, decompression bombs refused, EXIF GPS read, and a
public copy stored without any EXIF while the original is kept unaltered and non-public."""

from __future__ import annotations

import hashlib
import io
from decimal import Decimal

import pytest
from PIL import ExifTags, Image

from ghiseu.audit.models import AuditEvent
from ghiseu.core.errors import DomainError
from ghiseu.core.files import open_stored
from ghiseu.core.models import StoredFile
from ghiseu.petitions.models import Petition, PetitionPhoto
from ghiseu.petitions.photos import photo_check
from ghiseu.petitions.services import petition_photo_set_public
from ghiseu.petitions.tests.conftest import jpeg_bytes, png_bomb, png_bytes
from ghiseu.registry.models import Attachment, Entry
from ghiseu.registry.services import Upload

pytestmark = pytest.mark.django_db

LUPENI = (45.3601, 23.2189)


def read(stored: StoredFile) -> bytes:
    with open_stored(stored) as fh:
        return fh.read()


def upload(content: bytes, name: str = "groapa.jpg") -> Upload:
    return Upload(io.BytesIO(content), name, len(content))


def test_exif_gps_is_read_then_stripped_from_the_public_copy(clock, file_petition, roads):
    original_bytes = jpeg_bytes(gps=LUPENI)
    assert Image.open(io.BytesIO(original_bytes)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test photo has GPS
    petition = file_petition(category=roads, photos=[upload(original_bytes)])
    photo = PetitionPhoto.objects.get(petition=petition)
    assert photo.gps_latitude is not None and photo.gps_longitude is not None
    assert abs(photo.gps_latitude - Decimal("45.3601")) < Decimal("0.00001")
    assert abs(photo.gps_longitude - Decimal("23.2189")) < Decimal("0.00001")
    # the position of the photo is the location of the problem when none was typed
    assert petition.latitude == photo.gps_latitude and petition.longitude == photo.gps_longitude

    public = Image.open(io.BytesIO(read(photo.public)))
    assert public.format == "JPEG"
    assert dict(public.getexif()) == {}
    assert "exif" not in public.info
    assert b"TestCam" not in read(photo.public) and b"GPS" not in read(photo.public)

    # the original is kept unaltered, as a registry attachment, never as the public copy
    assert read(photo.original) == original_bytes
    assert photo.original.sha256 == hashlib.sha256(original_bytes).hexdigest()
    assert Attachment.objects.filter(entry=petition.entry, file=photo.original).exists()
    assert not Attachment.objects.filter(file=photo.public).exists()
    assert photo.public_id != photo.original_id


def test_a_typed_location_wins_over_the_photo_position(clock, file_petition, roads):
    petition = file_petition(
        category=roads, latitude="45.3500", longitude="23.2000", photos=[upload(jpeg_bytes(gps=LUPENI))]
    )
    assert petition.latitude == Decimal("45.350000")


def test_a_photo_position_outside_the_city_is_not_used(clock, file_petition, roads, settings):
    settings.GHISEU_PETITION_RULES = {**settings.GHISEU_PETITION_RULES, "city_bbox": "45.30,23.10,45.42,23.32"}
    petition = file_petition(category=roads, photos=[upload(jpeg_bytes(gps=(44.4268, 26.1025)))])
    assert petition.latitude is None
    assert PetitionPhoto.objects.get(petition=petition).gps_latitude is not None  # still read, kept private


def test_png_is_accepted_and_copied_without_metadata(clock, file_petition, roads):
    content = png_bytes()
    petition = file_petition(category=roads, photos=[upload(content, "poza.png")])
    photo = PetitionPhoto.objects.get(petition=petition)
    public = Image.open(io.BytesIO(read(photo.public)))
    assert public.format == "PNG" and public.size == (32, 32)
    assert photo.public.content_type == "image/png"


def test_the_public_copy_is_turned_upright_and_resized(settings):
    settings.GHISEU_PETITION_RULES = {**settings.GHISEU_PETITION_RULES, "photo_public_max_side": 40}
    image = Image.new("RGB", (80, 60), "blue")
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # taken with the phone turned: shown rotated by 90°
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    checked = photo_check(io.BytesIO(out.getvalue()), name="rotita.jpg")
    public = Image.open(io.BytesIO(checked.public_content))
    assert public.size == (30, 40)  # upright (60x80) and at most 40 px
    assert dict(public.getexif()) == {}


GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
    b"\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "bad_type"),
        (b"Acesta este un text, nu o poza." * 10, "bad_type"),
        (GIF, "bad_type"),
        (jpeg_bytes()[:200], "broken"),  # truncated
        (png_bomb(), "too_many_pixels"),  # billions of pixels: Pillow refuses it on open
        (png_bomb(8000, 8000), "too_many_pixels"),  # 64 million: under Pillow's limit, over ours
        (b"", "empty"),
    ],
)
def test_non_images_broken_images_and_bombs_are_refused(clock, file_petition, roads, content, code):
    with pytest.raises(DomainError) as exc:
        photo_check(io.BytesIO(content), name="poza.jpg")
    assert exc.value.code == code and exc.value.field == "photos"
    before = (Entry.objects.count(), Petition.objects.count(), AuditEvent.objects.count(), StoredFile.objects.count())
    with pytest.raises(DomainError):
        file_petition(category=roads, photos=[upload(jpeg_bytes()), upload(content, "poza.jpg")])
    assert (
        Entry.objects.count(),
        Petition.objects.count(),
        AuditEvent.objects.count(),
        StoredFile.objects.count(),
    ) == (before)


def test_pillow_own_bomb_limit_is_a_domain_error_too(settings):
    # Above Pillow's own limit (2 x Image.MAX_IMAGE_PIXELS) it raises DecompressionBombError when opening.
    settings.GHISEU_PETITION_RULES = {**settings.GHISEU_PETITION_RULES, "photo_max_pixels": 10**12}
    with pytest.raises(DomainError) as exc:
        photo_check(io.BytesIO(png_bomb(20000, 20000)), name="bomba.png")
    assert exc.value.code == "too_many_pixels"


def test_too_many_photos_are_refused(clock, file_petition, roads, settings):
    settings.GHISEU_PETITION_RULES = {**settings.GHISEU_PETITION_RULES, "photos_max": 2}
    with pytest.raises(DomainError):
        file_petition(category=roads, photos=[upload(jpeg_bytes(color=c)) for c in ("red", "green", "blue")])
    assert Petition.objects.count() == 0


def test_staff_hide_a_public_photo(clock, file_petition, roads, roads_officer, other_officer):
    petition = file_petition(category=roads, photos=[upload(jpeg_bytes())])
    photo = PetitionPhoto.objects.get(petition=petition)
    assert photo.is_public
    from ghiseu.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        petition_photo_set_public(actor=other_officer, photo=photo, is_public=False)
    photo = petition_photo_set_public(actor=roads_officer, photo=photo, is_public=False)
    assert not PetitionPhoto.objects.get(pk=photo.pk).is_public
    assert AuditEvent.objects.filter(action="petitions.photo.hidden").count() == 1
