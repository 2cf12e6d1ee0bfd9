"""The council's directory: the bodies a case is referred to (Agency) and the categories of a case (Category).

Each centre keeps its own; the welfare staff and administrators edit them on the directory page. A body or a
category is never deleted (cases and referrals point at it): it is set not in use, and no longer offered."""
from django.core.exceptions import ValidationError
from django.core.validators import validate_unicode_slug
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ops import audit
from ops.welfare.models import Agency, Category
from ops.welfare.services.cases import WelfareError

AGENCY_FIELDS = ("kind", "name", "area", "phone", "contact_person", "internal", "takes_handover", "active")


def _clean_agency(values: dict) -> dict:
    fields = {}
    for name in AGENCY_FIELDS:
        if name not in values:
            continue
        value = values[name]
        if name in ("internal", "takes_handover", "active"):
            value = bool(value)
        else:
            value = (value or "").strip()[:Agency._meta.get_field(name).max_length]
        fields[name] = value
    if "kind" in fields and fields["kind"] not in Agency.Kind.values:
        raise WelfareError(_("種別を選択肢から選んでください。"), "kind")
    if "name" in fields and not fields["name"]:
        raise WelfareError(_("名称を入力してください。"), "name")
    return fields


def add_agency(centre, *, by, **values) -> Agency:
    """A new body of the directory (kind and name required)."""
    fields = _clean_agency({"kind": "", "name": "", **values})
    with transaction.atomic(), audit.operation("directory.agency_added", by=by):
        agency = Agency.objects.create(centre=centre, **fields)
        audit.changed(agency, fields=list(fields), created=True)
    return agency


def update_agency(agency: Agency, *, by, **values) -> Agency:
    """Change a body's entry; set `active=False` to stop offering it (past referrals keep it)."""
    fields = _clean_agency(values)
    with transaction.atomic(), audit.operation("directory.agency_updated", by=by):
        agency = Agency.objects.select_for_update().get(pk=agency.pk)
        for name, value in fields.items():
            setattr(agency, name, value)
        if fields:
            agency.save(update_fields=list(fields))
            audit.changed(agency, fields=list(fields))
    return agency


def add_category(centre, *, by, code: str, name: str) -> Category:
    """A category of the centre's own; its code is unique in the centre."""
    code, name = (code or "").strip(), (name or "").strip()
    if not code or not name:
        raise WelfareError(_("コードと名称を入力してください。"), "code")
    field = Category._meta.get_field("code")
    if len(code) > field.max_length or not _is_slug(code):
        raise WelfareError(_("コードは英数字・かな・「-」「_」で30文字までにしてください。"), "code")
    name = name[:Category._meta.get_field("name").max_length]
    taken = _("コード「%(code)s」はすでに使われています。") % {"code": code}
    if Category.objects.filter(centre=centre, code=code).exists():
        raise WelfareError(taken, "code")
    try:
        with transaction.atomic(), audit.operation("directory.category_added", by=by):
            order = (Category.objects.filter(centre=centre).aggregate(n=Max("order"))["n"] or 0) + 10
            category = Category.objects.create(centre=centre, code=code, name=name, order=min(order, 32000))
            audit.changed(category, fields=["code", "name"], created=True)
            return category
    except IntegrityError:  # the same code added at the same moment
        raise WelfareError(taken, "code") from None


def _is_slug(code: str) -> bool:
    try:
        validate_unicode_slug(code)
    except ValidationError:
        return False
    return True


def set_category_active(category: Category, *, by, active: bool) -> Category:
    """Stop offering a category on new cases (cases that have it keep it), or offer it again."""
    with transaction.atomic(), audit.operation("directory.category_active", by=by):
        category = Category.objects.select_for_update().get(pk=category.pk)
        if category.active != bool(active):
            category.active = bool(active)
            category.save(update_fields=["active"])
            audit.changed(category, fields=["active"])
    return category
