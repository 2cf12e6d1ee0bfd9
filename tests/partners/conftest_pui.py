"""Fixtures of the partner pages' tests (協力団体のページ): a centre with a technical need routed to one
organisation, a second organisation at the centre, and their logins."""
import io
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from ops.centres.models import Role
from ops.partners import services
from ops.partners.models import PartnerJob
from tests import factories

RESIDENT = {"requester_name": "屋根下 待子", "requester_kana": "ヤネシタ マチコ", "phone": "090-7777-3131",
            "address": "テスト市瓦町2-4-6"}
# What an organisation never reads of the need (the selector's docstring), each a word the page would show.
NEVER = {"description": "居間の雨漏りがひどい（依頼内容）", "notes": "長男が県外に住む（備考）",
         "household": "高齢者のみの世帯", "welfare": "危機介入", "kana": "ヤネシタ"}


def jpeg(name="roof.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (80, 60), (30, 60, 120)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


@dataclass
class Scene:
    centre: object
    coordinator: object
    need: object
    org: object
    other_org: object
    job: object  # the whole need, offered to `org`
    partner: object  # org's login
    rival: object  # other_org's login at the same centre

    def client(self, user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def url(self, name, job=None, **kw):
        pk = {"pk": (job or self.job).pk} if name != "partners:partner_jobs" else {}
        return reverse(name, kwargs={"centre": self.centre.slug, **pk, **kw})

    def fresh(self, job=None) -> PartnerJob:
        return PartnerJob.objects.get(pk=(job or self.job).pk)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def scene(db, media) -> Scene:
    centre = factories.make_centre(phone="0261-00-1234")
    # on hold: the survey said "not for volunteers", waiting for an organisation (record_survey(technical=True))
    coordinator = factories.make_user(Role.COORDINATOR, centre)
    need = factories.make_need(centre, **RESIDENT, work_types=["tarp", "mud"], district="瓦町",
                               description=NEVER["description"], notes=NEVER["notes"], household=["elderly_alone"],
                               welfare="crisis", hazards="北側の屋根が抜けそう", status="on_hold", technical=True)
    org = services.save_organisation(centre, by=coordinator, name="屋根ふき隊", capabilities=["roof", "chainsaw"])
    other_org = services.save_organisation(centre, by=coordinator, name="重機の会", capabilities=["heavy"])
    partner = factories.make_user(Role.PARTNER, centre)
    org.users.add(partner)
    rival = factories.make_user(Role.PARTNER, centre)
    other_org.users.add(rival)
    job = services.offer(need, org, by=coordinator, note="ブルーシートは当センターで用意します")
    return Scene(centre=centre, coordinator=coordinator, need=need, org=org, other_org=other_org, job=job,
                 partner=partner, rival=rival)
