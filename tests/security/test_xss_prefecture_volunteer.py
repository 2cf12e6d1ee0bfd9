"""The volunteer's side of the prefecture (ops.prefecture.views_volunteer) with hostile names everywhere: the
disaster's, the centres', the bus hubs', the offering's note. Every page shows them escaped, never raw."""
from datetime import time, timedelta

import pytest
from django.test import Client

from ops.messages.models import OutboundMail
from ops.prefecture.services.allocation import allocate
from ops.prefecture.services.buses import add_bus
from ops.prefecture.services.offerings import open_offering
from ops.prefecture.services.outcomes import mail_outcomes
from tests import factories
from tests.volunteers.conftest import form_data

pytestmark = pytest.mark.django_db
PAYLOAD = """<script>alert(1)</script>"'><img src=x onerror=alert(1)>"""
TOWN = f"町{PAYLOAD}"[:40].strip()  # a municipality and a volunteer's city as the form keeps them
RAW = ("<script>alert(1)", "<img src=x onerror", "onerror=alert(1)>")


def raw_in(text: str) -> list[str]:
    return [r for r in RAW if r in text]


def test_hostile_names_are_escaped_on_every_page():
    disaster = factories.make_disaster(name=f"災害{PAYLOAD}")
    centre = factories.make_centre(disaster=disaster, name=f"センター{PAYLOAD}", municipality=TOWN,
                                   recruitment_scope="neighbours", neighbour_cities=f"隣町{PAYLOAD}")
    offering = open_offering(centre, on=centre.today() + timedelta(days=2), places_n=3, note=f"お知らせ{PAYLOAD}")
    bus = add_bus(centre, on=offering.date, hub=f"駅{PAYLOAD}", departs_at=time(7, 0), seats=3)
    client = Client()
    answer = client.post(f"/d/{disaster.pk}/register/", form_data(name=f"氏名{PAYLOAD}"[:80], email="a@example.jp",
                                                                  city=TOWN))
    assert answer.status_code == 302
    from ops.volunteers.models import Volunteer

    volunteer = Volunteer.objects.get()
    pages = {
        "point": client.get(f"/d/{disaster.pk}/"),
        "register": client.get(f"/d/{disaster.pk}/register/"),
        "signin": client.get(f"/d/{disaster.pk}/signin/"),
        "personal": client.get(f"/v/{volunteer.token}/"),
        "applied": client.post(f"/v/{volunteer.token}/apply/", {"offering": offering.pk, "bus": bus.pk}, follow=True),
        "book": client.get(f"/p/{centre.slug}/volunteers/book/?date={offering.date.isoformat()}"),
        "board": client.get(f"/p/{centre.slug}/"),
    }
    for name, response in pages.items():
        text = response.content.decode()
        assert response.status_code == 200, (name, response.status_code, text[text.find("refusal"):][:300])
        assert raw_in(text) == [], (name, raw_in(text))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages["point"].content.decode()
    assert "駅&lt;script&gt;" in pages["personal"].content.decode()
    allocate(offering.pk)
    mail_outcomes(offering.pk)
    mail = OutboundMail.objects.get(kind=OutboundMail.Kind.ALLOCATION)
    assert f"駅{PAYLOAD}" in mail.body  # plain text mail: as typed, no markup to escape
