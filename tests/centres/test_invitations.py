"""Inviting staff: a one-time link by mail or on the administrator's screen; the invited person makes their own
account (no shared logins) or, signed in, takes the role; a link works once, until it expires or is revoked."""
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dvc.logs import redact
from ops.centres.models import AuditEntry, Membership, Role
from ops.messages.models import OutboundMail
from ops.staff import services
from ops.staff.models import Invitation
from tests import factories
from tests.conftest import run_together

User = get_user_model()
pytestmark = pytest.mark.django_db
PASSWORD = "tsuchi-bukuro-2026"


@pytest.fixture
def centre():
    return factories.make_centre()


@pytest.fixture
def admin(centre):
    return factories.make_user(Role.ADMIN, centre)


@pytest.fixture
def admin_client(admin):
    client = Client()
    client.force_login(admin)
    return client


def staff_url(centre):
    return reverse("staff:list", kwargs={"centre": centre.slug})


def accept_url(token):
    return reverse("staff:accept", kwargs={"token": token})


def account(**changes):
    return {"username": "tanaka", "name": "田中 次郎", "email": "", "password": PASSWORD, "password2": PASSWORD,
            **changes}


def every_stored_value():
    return " ".join(str(v) for model in (Invitation, OutboundMail, AuditEntry)
                    for row in model.objects.values() for k, v in row.items() if k != "body")


def test_an_invitation_link_is_shown_once_and_only_its_hash_is_kept(admin_client, centre):
    response = admin_client.post(staff_url(centre), {"role": Role.RECEPTION, "email": ""})
    assert response.status_code == 200
    link = response.context["link"]
    token = link.rsplit("/", 2)[-2]
    assert link.endswith(accept_url(token)) and len(token) >= 40
    assert token in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    invitation = Invitation.objects.get()
    assert (invitation.role, invitation.email, invitation.centre) == (Role.RECEPTION, "", centre)
    assert invitation.expires_at - timezone.now() > timedelta(hours=71)
    assert token not in every_stored_value()
    assert token not in admin_client.get(staff_url(centre)).content.decode()  # once
    assert not OutboundMail.objects.exists()
    assert AuditEntry.objects.get(action="staff.invited").object_type == "staff.invitation"


def test_an_invitation_by_mail_goes_through_the_outbox(admin_client, centre):
    response = admin_client.post(staff_url(centre), {"role": Role.INTAKE, "email": "sato@example.jp"})
    mail = OutboundMail.objects.get()
    assert (mail.kind, mail.to, mail.centre) == (OutboundMail.Kind.STAFF_INVITATION, ["sato@example.jp"], centre)
    assert response.context["link"] in mail.body and centre.name in mail.subject


@pytest.mark.smoke  # `make run DEMO=0` runs on SQLite
def test_an_invited_person_makes_their_own_account_and_lands_on_the_centre(centre, admin):
    _invitation, token = services.invite(centre=centre, role=Role.RECEPTION, by=admin)
    phone = Client()
    page = phone.get(accept_url(token))
    assert page.status_code == 200 and centre.name in page.content.decode()
    response = phone.post(accept_url(token), account())
    assert response.status_code == 302
    assert response["Location"] == reverse("centre_home", kwargs={"centre": centre.slug})
    person = User.objects.get(username="tanaka")
    assert person.get_full_name() == "田中 次郎" and person.check_password(PASSWORD)
    assert not person.is_superuser and not person.is_staff
    assert set(Membership.objects.filter(user=person).values_list("centre", "role")) == {(centre.pk, Role.RECEPTION)}
    assert phone.get(response["Location"], follow=True).status_code == 200  # signed in
    invitation = Invitation.objects.get()
    assert invitation.used_by == person and invitation.used_at is not None
    assert AuditEntry.objects.filter(action="staff.joined", user=person).exists()
    # Once: the link is now a 404 for anybody, and changes nothing.
    again = Client().post(accept_url(token), account(username="someone-else"))
    assert again.status_code == 404 and User.objects.count() == 2


def test_a_weak_password_or_a_taken_username_writes_nothing(centre, admin):
    _invitation, token = services.invite(centre=centre, role=Role.RECEPTION, by=admin)
    for body, field in ((account(password="12345678901", password2="12345678901"), "password"),
                        (account(username=admin.username.upper()), "username"),
                        (account(password2="different-2026"), "password2")):
        response = Client().post(accept_url(token), body)
        assert response.status_code == 400 and field in response.context["form"].errors
    assert User.objects.count() == 1 and Invitation.objects.get().used_at is None


def test_a_signed_in_person_takes_the_role_with_their_own_account(centre, admin):
    other = factories.make_centre()
    person = factories.make_user(Role.VIEWER, other)
    _invitation, token = services.invite(centre=centre, role=Role.COORDINATOR, by=admin)
    client = Client()
    client.force_login(person)
    assert 'name="password"' not in client.get(accept_url(token)).content.decode()
    assert client.post(accept_url(token)).status_code == 302
    assert Membership.objects.filter(user=person, centre=centre, role=Role.COORDINATOR).exists()
    assert User.objects.count() == 2


@pytest.mark.parametrize("spoil", ["expired", "revoked", "unknown"])
def test_an_expired_revoked_or_unknown_link_opens_nothing(centre, admin, spoil):
    invitation, token = services.invite(centre=centre, role=Role.RECEPTION, by=admin)
    if spoil == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    elif spoil == "revoked":
        assert services.revoke_invitation(invitation, by=admin)
    else:
        token = token[:-1] + ("A" if token[-1] != "A" else "B")
    for response in (Client().get(accept_url(token)), Client().post(accept_url(token), account())):
        assert response.status_code == 404
        assert "この招待リンクは使えません" in response.content.decode()
    assert User.objects.count() == 1


def test_the_administrator_revokes_a_pending_invitation(admin_client, centre):
    admin_client.post(staff_url(centre), {"role": Role.RECEPTION, "email": ""})
    invitation = Invitation.objects.get()
    assert invitation in admin_client.get(staff_url(centre)).context["pending"]
    admin_client.post(reverse("staff:revoke", kwargs={"centre": centre.slug, "pk": invitation.pk}))
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert "staff.invitation_revoked" in AuditEntry.objects.values_list("action", flat=True)
    assert list(admin_client.get(staff_url(centre)).context["pending"]) == []


def test_another_centres_administrator_cannot_revoke_our_invitation(centre, admin):
    invitation, _token = services.invite(centre=centre, role=Role.RECEPTION, by=admin)
    other = factories.make_centre()
    client = Client()
    client.force_login(factories.make_user(Role.ADMIN, other))
    response = client.post(reverse("staff:revoke", kwargs={"centre": other.slug, "pk": invitation.pk}))
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_the_invitation_path_is_redacted_in_logs(centre, admin):
    _invitation, token = services.invite(centre=centre, role=Role.RECEPTION, by=admin)
    lowercase = "a" * 43  # not token-shaped: no capital, no digit; the route's own pattern still hides it
    for secret in (token, lowercase):
        line = f'127.0.0.1:5100 - "GET {accept_url(secret)} HTTP/1.1" 200'
        assert secret not in redact(line) and "/invite/***/" in redact(line)


@pytest.mark.pg
@pytest.mark.django_db(transaction=True)
def test_two_tabs_submitting_one_invitation_at_once_make_one_account():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    centre = factories.make_centre()
    admin = factories.make_user(Role.ADMIN, centre)
    _invitation, token = services.invite(centre=centre, role=Role.RECEPTION, by=admin)

    def submit(i):
        return Client().post(accept_url(token), account(username=f"tab{i}")).status_code

    statuses, errors = run_together(4, submit)
    assert errors == [None] * 4
    assert sorted(statuses) == [302, 404, 404, 404]
    assert User.objects.exclude(pk=admin.pk).count() == 1
    assert Membership.objects.filter(centre=centre, role=Role.RECEPTION).count() == 1
