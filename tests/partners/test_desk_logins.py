"""A partner organisation's logins: the 協力団体 role is given only with its organisation, by an administrator from
the organisation's page, through the staff invitations; accepting makes the account one of the organisation's
logins in the same transaction; removing a login takes the role and the link away (audited)."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ops.centres.models import AuditEntry, Membership, Role
from ops.partners import services
from ops.permissions import partner_organisations
from ops.staff import services as staff_services
from ops.staff.forms import InviteForm, RoleForm
from ops.staff.models import Invitation
from tests import factories
from tests.partners.conftest_desk import *  # noqa: F403 (the desk's fixtures)
from tests.partners.conftest_desk import client_of

pytestmark = pytest.mark.django_db
ACCOUNT = {"username": "yane-ichiro", "name": "屋根 一郎", "email": "", "password": "a-long-enough-Passw0rd"}


def page(centre, org, name="staff_organisation", **kw):
    return reverse(f"partners:{name}", kwargs={"centre": centre.slug, "pk": org.pk, **kw})


def test_an_invitation_for_an_organisation_gives_the_partner_role_and_the_organisation(centre, staff, crews):
    roof = crews[0]
    invitation, token = staff_services.invite(centre=centre, role=Role.PARTNER, organisation=roof,
                                              by=staff[Role.ADMIN])
    assert invitation.organisation == roof
    user, _used = staff_services.accept_invitation(token, account=ACCOUNT)
    assert set(Membership.objects.filter(user=user).values_list("centre_id", "role")) == {(centre.pk, Role.PARTNER)}
    assert list(roof.users.all()) == [user]
    assert list(partner_organisations(user, centre)) == [roof]


def test_an_existing_signed_in_account_joins_the_organisation(centre, staff, crews):
    someone = factories.make_user()
    _invitation, token = staff_services.invite(centre=centre, role=Role.PARTNER, organisation=crews[1],
                                               by=staff[Role.ADMIN])
    staff_services.accept_invitation(token, user=someone)
    assert list(crews[1].users.all()) == [someone]


@pytest.mark.parametrize("case", ["partner without organisation", "staff role with organisation", "other centre"])
def test_the_partner_role_is_given_only_with_an_organisation_of_the_centre(centre, staff, crews, case):
    admin = staff[Role.ADMIN]
    foreign = services.save_organisation(factories.make_centre(), by=None, name="よその団体")
    kwargs = {"partner without organisation": {"role": Role.PARTNER},
              "staff role with organisation": {"role": Role.RECEPTION, "organisation": crews[0]},
              "other centre": {"role": Role.PARTNER, "organisation": foreign}}[case]
    with pytest.raises(staff_services.StaffError):
        staff_services.invite(centre=centre, by=admin, **kwargs)
    assert not Invitation.objects.exists()


def test_a_refused_account_leaves_no_membership_no_login_and_the_link_usable(centre, staff, crews):
    _invitation, token = staff_services.invite(centre=centre, role=Role.PARTNER, organisation=crews[0],
                                               by=staff[Role.ADMIN])
    with pytest.raises(ValidationError):
        staff_services.accept_invitation(token, account={**ACCOUNT, "password": "123"})
    assert not crews[0].users.exists()
    assert not Membership.objects.filter(role=Role.PARTNER).exists()
    assert staff_services.find_invitation(token) is not None


def test_the_staff_pages_do_not_offer_the_partner_role(client, centre, staff):
    assert Role.PARTNER not in dict(InviteForm().fields["role"].choices)
    assert Role.PARTNER not in dict(RoleForm().fields["role"].choices)
    c = client_of(client, staff[Role.ADMIN])
    response = c.post(reverse("staff:list", kwargs={"centre": centre.slug}), {"role": Role.PARTNER})
    assert response.status_code == 400 and not Invitation.objects.exists()
    member = staff[Role.VIEWER]
    c.post(reverse("staff:role", kwargs={"centre": centre.slug, "member": member.pk}), {"role": Role.PARTNER})
    assert set(Membership.objects.filter(user=member).values_list("role", flat=True)) == {Role.VIEWER}
    with pytest.raises(staff_services.StaffError):
        staff_services.set_role(centre, member_id=member.pk, role=Role.PARTNER, by=staff[Role.ADMIN])


def test_an_administrator_invites_a_login_from_the_organisations_page(client, centre, staff, crews):
    roof = crews[0]
    c = client_of(client, staff[Role.ADMIN])
    response = c.post(page(centre, roof, "staff_organisation_invite"), {"email": ""})
    assert response.status_code == 200
    link = response.context["link"]
    assert link and link in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    invitation = Invitation.objects.get()
    assert (invitation.role, invitation.organisation) == (Role.PARTNER, roof)
    assert "（画面のリンク）" in c.get(page(centre, roof)).content.decode()  # listed as pending
    # the invited person opens the link and makes their account
    client.logout()
    path = link[link.index("/invite/"):]
    response = client.post(path, {"username": "yane-jiro", "name": "屋根 次郎", "email": "",
                                  "password": ACCOUNT["password"], "password2": ACCOUNT["password"]})
    assert response.status_code == 302
    assert list(roof.users.values_list("username", flat=True)) == ["yane-jiro"]


def test_a_bad_email_on_the_invite_form_is_a_400(client, centre, staff, crews):
    response = client_of(client, staff[Role.ADMIN]).post(page(centre, crews[0], "staff_organisation_invite"),
                                                         {"email": "not-an-address"})
    assert response.status_code == 400 and not Invitation.objects.exists()
    assert 'value="not-an-address"' in response.content.decode()


def test_the_page_shows_the_logins_and_removing_one_takes_its_role_and_link(client, centre, staff, crews, partner):
    roof = crews[0]
    c = client_of(client, staff[Role.ADMIN])
    text = c.get(page(centre, roof)).content.decode()
    assert "roofcrew" in text and page(centre, roof, "staff_organisation_remove_login", member=partner.pk) in text
    response = c.post(page(centre, roof, "staff_organisation_remove_login", member=partner.pk))
    assert response.status_code == 302
    assert not roof.users.exists()
    assert not Membership.objects.filter(user=partner, centre=centre).exists()
    assert partner.is_active  # the account stays
    entries = AuditEntry.objects.filter(centre=centre, action="staff.removed")
    assert {(e.object_type, e.note) for e in entries} == {("partners.organisation", "roofcrew"),
                                                          ("centres.membership", Role.PARTNER)}
    assert {e.user for e in entries} == {staff[Role.ADMIN]}


def test_a_login_of_two_organisations_keeps_the_role_for_the_other(centre, staff, crews, partner):
    roof, heavy = crews
    heavy.users.add(partner)
    staff_services.remove_partner_login(roof, member_id=partner.pk, by=staff[Role.ADMIN])
    assert list(partner_organisations(partner, centre)) == [heavy]


def test_removing_someone_who_is_not_a_login_changes_nothing(client, centre, staff, crews, partner):
    c = client_of(client, staff[Role.ADMIN])
    response = c.post(page(centre, crews[1], "staff_organisation_remove_login", member=partner.pk), follow=True)
    assert "この団体のログインではありません。" in response.content.decode()
    assert Membership.objects.filter(user=partner, role=Role.PARTNER).exists()
    assert crews[0].users.filter(pk=partner.pk).exists()


def test_the_staff_page_sends_a_partner_login_to_the_organisations_pages(client, centre, staff, crews, partner):
    text = client_of(client, staff[Role.ADMIN]).get(reverse("staff:list", kwargs={"centre": centre.slug})
                                                    ).content.decode()
    assert reverse("staff:role", kwargs={"centre": centre.slug, "member": partner.pk}) not in text
    assert "協力団体のページで管理" in text


def test_removing_a_partner_login_from_the_centre_unlinks_it_from_the_organisations(centre, staff, crews, partner):
    staff_services.remove_member(centre, member_id=partner.pk, by=staff[Role.ADMIN])
    assert not crews[0].users.exists()
    assert not Membership.objects.filter(user=partner, centre=centre).exists()
