"""Site photos: type and size checked with Pillow, metadata dropped, staff-only, never under /media."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from ops.centres.models import Role
from ops.needs.models import NeedPhoto
from ops.needs.services.photos import MAX_BYTES
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def upload(client, centre, need, file, consent=True):
    data = {"image": file, "caption": "玄関"}
    if consent:
        data["consent"] = "on"
    return client.post(reverse("needs:photo_upload", kwargs={"centre": centre.slug, "pk": need.pk}), data,
                       follow=True)


def test_a_photo_is_stored_without_metadata_under_a_random_name(client_as, centre, jpeg_upload, media):
    need = factories.make_need(centre)
    upload(client_as(Role.INTAKE), centre, need, jpeg_upload(size=(4000, 3000), exif_gps=True, name="山田様宅.jpg"))
    photo = NeedPhoto.objects.get()
    assert "山田" not in photo.image.name and photo.image.name.endswith(".jpg")
    with Image.open(photo.image.path) as stored:
        assert max(stored.size) == 2560
        assert not stored.getexif()  # no GPS, no phone maker


def test_not_an_image_is_refused(client_as, centre):
    need = factories.make_need(centre)
    fake = SimpleUploadedFile("x.jpg", b"<?php echo 'hi'; ?>", content_type="image/jpeg")
    response = upload(client_as(Role.INTAKE), centre, need, fake)
    assert "写真として読み込めない" in response.content.decode()
    assert not NeedPhoto.objects.exists()


def test_other_image_types_are_refused(client_as, centre):
    need = factories.make_need(centre)
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")
    response = upload(client_as(Role.INTAKE), centre, need, SimpleUploadedFile("a.gif", out.getvalue()))
    assert "JPEG・PNG・WebP" in response.content.decode()
    assert not NeedPhoto.objects.exists()


def test_too_large_is_refused(client_as, centre):
    need = factories.make_need(centre)
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (MAX_BYTES + 1))
    response = upload(client_as(Role.INTAKE), centre, need, big)
    assert "10MB" in response.content.decode()
    assert not NeedPhoto.objects.exists()


def test_consent_is_required(client_as, centre, jpeg_upload):
    need = factories.make_need(centre)
    response = upload(client_as(Role.INTAKE), centre, need, jpeg_upload(), consent=False)
    assert "同意" in response.content.decode()
    assert not NeedPhoto.objects.exists()


def test_photos_are_served_only_to_staff_of_the_centre(client, client_as, centre, other_centre, jpeg_upload):
    need = factories.make_need(centre)
    upload(client_as(Role.INTAKE), centre, need, jpeg_upload())
    photo = NeedPhoto.objects.get()
    target = reverse("needs:photo", kwargs={"centre": centre.slug, "pk": need.pk, "photo_id": photo.pk})
    response = client.get(target)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]
    client.logout()
    assert client.get(target).status_code == 302
    client.force_login(factories.make_user(Role.ADMIN, other_centre))
    assert client.get(target).status_code == 403
    client.force_login(factories.make_user(Role.RECEPTION, centre))
    assert client.get(target).status_code == 403
    assert client.get("/media/" + photo.image.name).status_code == 404


def test_viewer_cannot_upload(client_as, centre, jpeg_upload):
    need = factories.make_need(centre)
    response = client_as(Role.VIEWER).post(
        reverse("needs:photo_upload", kwargs={"centre": centre.slug, "pk": need.pk}),
        {"image": jpeg_upload(), "consent": "on"})
    assert response.status_code == 403
