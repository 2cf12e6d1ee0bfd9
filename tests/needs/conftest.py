"""Helpers for the needs tests: valid intake fields, a signed public-form stamp old enough to pass."""
import time

import pytest
from django.core import signing

from ops.needs import forms as need_forms


def intake_fields(**overrides) -> dict:
    fields = {
        "channel": "phone", "requester_type": "resident", "requester_name": "長野 一郎",
        "requester_kana": "ナガノ イチロウ", "phone": "090-1111-2222", "address": "テスト市川端町3-4-5",
        "district": "川端", "lat": 36.6451, "lng": 138.1902, "work_types": ["mud", "furniture"],
        "description": "1階床上浸水。畳の運び出し", "people_needed": 6, "days_needed": 1,
    }
    fields.update(overrides)
    return fields


def form_data(**overrides) -> dict:
    """POST data of the staff intake form."""
    data = intake_fields()
    data.update({"priority": "2", "welfare": "none"})
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def old_stamp(seconds: int = 30) -> str:
    """A public-form stamp as if the form had been shown `seconds` ago."""
    signer = signing.TimestampSigner(salt=need_forms._STAMP_SALT)
    real = time.time
    try:
        time.time = lambda: real() - seconds
        return signer.sign("form")
    finally:
        time.time = real


@pytest.fixture
def record(centre):
    """record(**overrides) -> a need recorded through the service."""
    from ops.needs.services import record_need

    def make(by=None, **overrides):
        return record_need(centre=centre, by=by, **intake_fields(**overrides))

    return make


@pytest.fixture
def jpeg_upload():
    """jpeg_upload(size=(w, h), exif_gps=False) -> an uploaded JPEG file."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    def make(size=(640, 480), *, exif_gps=False, name="IMG_0001.jpg", fmt="JPEG"):
        image = Image.new("RGB", size, (120, 90, 60))
        out = io.BytesIO()
        kwargs = {}
        if exif_gps:
            exif = Image.Exif()
            exif[0x010F] = "TestPhoneMaker"  # Make
            exif[0x8825] = {1: "N", 2: (36.0, 39.0, 4.0)}  # GPS IFD
            kwargs["exif"] = exif
        image.save(out, fmt, **kwargs)
        return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")

    return make


@pytest.fixture(scope="session")
def needs_browser(browser):
    return browser
