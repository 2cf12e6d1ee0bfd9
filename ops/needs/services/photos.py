"""Site photos: checked with Pillow, re-encoded without EXIF (it holds the GPS position and the phone's
owner), stored under an unguessable name and served only through a permission-checked view."""
import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from ops.needs.models import Need, NeedPhoto, Survey

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 50_000_000  # refuse decompression bombs before decoding
MAX_SIDE = 2560
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}


def _read_image(upload) -> Image.Image:
    if upload.size > MAX_BYTES:
        raise ValidationError({"image": [_("写真は10MB以下にしてください。")]})
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format
            if fmt not in ALLOWED_FORMATS:
                raise ValidationError({"image": [_("JPEG・PNG・WebP形式の写真を選んでください。")]})
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError({"image": [_("写真の画素数が大きすぎます。")]})
            probe.verify()
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as err:
        raise ValidationError({"image": [_("写真として読み込めないファイルです。")]}) from err
    return image


def add_photo(need: Need, *, by, upload, consent: bool, caption: str = "", survey: Survey | None = None) -> NeedPhoto:
    if not consent:
        raise ValidationError({"consent": [_("撮影・保存について依頼者の同意を確認してください。")]})
    if survey is not None and survey.need_id != need.pk:
        raise ValidationError({"survey": [_("このニーズの現地調査ではありません。")]})
    data = clean_jpeg(upload)
    with transaction.atomic():
        photo = NeedPhoto(need=need, survey=survey, caption=caption[:200], consent=True, uploaded_by=by)
        photo.image.save("photo.jpg", ContentFile(data), save=False)
        photo.save()
    return photo


def clean_jpeg(upload) -> bytes:
    """The upload as a JPEG of at most MAX_SIDE pixels a side, turned upright, with no metadata; a
    ValidationError on the `image` field for anything that is not a photo (partners' photos use it too)."""
    image = _read_image(upload)
    image = ImageOps.exif_transpose(image).convert("RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True)  # no exif= argument: metadata is dropped
    return out.getvalue()


def delete_photo(photo: NeedPhoto) -> None:
    storage, name = photo.image.storage, photo.image.name
    with transaction.atomic():
        photo.delete()
        transaction.on_commit(lambda: storage.delete(name))
