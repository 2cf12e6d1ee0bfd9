"""The council's directory of bodies a case is referred to (紹介先): one entry added at a time."""
from django.db import transaction
from django.utils.translation import gettext as _

from ops import audit
from ops.welfare.models import Agency
from ops.welfare.services.cases import WelfareError, _user


def add_agency(centre, *, by, kind: str, name: str, area: str = "", phone: str = "", contact_person: str = "",
               internal: bool = False, takes_handover: bool = False) -> Agency:
    """One body of the directory: 地域包括支援センター, 民生委員, 保健センター, the 地域支え合いセンター that takes the
    open cases over at closing (`takes_handover`) … `internal`: the council's own, referred to without consent."""
    name = name.strip()
    if kind not in Agency.Kind.values:
        raise WelfareError(_("種別を選択肢から選んでください。"))
    if not name or len(name) > Agency._meta.get_field("name").max_length:
        raise WelfareError(_("紹介先の名称を120文字以内で入力してください。"))
    with transaction.atomic():
        agency = Agency.objects.create(centre=centre, kind=kind, name=name, area=area.strip()[:120],
                                       phone=phone.strip()[:20], contact_person=contact_person.strip()[:60],
                                       internal=internal, takes_handover=takes_handover)
        # The directory is not one of the audited models (ops.centres.auditing): its one entry, named here.
        audit.happened("agency.added", agency, centre=centre, by=_user(by), actor="" if _user(by) else "system")
    return agency
