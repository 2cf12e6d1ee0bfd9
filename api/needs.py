"""Needs: list (filters, pages), detail, intake, edit, status change. Writes go through ops.needs.services;
the transition table decides every status change. What each role gets of residents' personal data is the
registry's answer (ops.privacy): other roles (the city's viewers, leaders) get a need's operational facts and
where it is to about 100 m, and the text search looks only into what they get."""
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from api.base import CentreView
from api.fields import MomentField
from mapping.geo import BBoxError, parse_bbox
from ops.centres.models import Base
from ops.needs import selectors
from ops.needs.models import Closure, Household, Need, NeedStatus, WorkType
from ops.needs.services import manual_targets, record_need, set_status_by_hand, update_need
from ops.needs.services.fields import LAT_RANGE, LNG_RANGE
from ops.permissions import Cap
from ops.privacy import AUDIENCES, LIMITED, Sight, sight_of

NEED = Need._meta.label


# --- out --------------------------------------------------------------------------------------------------
class NeedSerializer(serializers.Serializer):
    """A need as the caller's role sees it (context `sight`, ops.privacy): fields it may not see are left out,
    a position it may see only roughly comes to 3 decimals (about 100 m). Without a sight (the schema), every
    field is declared and the values are the least any role gets."""

    id = serializers.IntegerField()
    label = serializers.CharField(help_text="N-0042")
    number = serializers.IntegerField()
    status = serializers.ChoiceField(NeedStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    priority = serializers.ChoiceField(Need.Priority.choices)
    district = serializers.CharField()
    lat = serializers.FloatField(allow_null=True)
    lng = serializers.FloatField(allow_null=True)
    work_types = serializers.SerializerMethodField()
    people_needed = serializers.IntegerField()
    days_needed = serializers.IntegerField()
    received_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    version = serializers.IntegerField(help_text="Bumped on every change that matters to dispatch.")

    requester_name = serializers.CharField(required=False)
    requester_kana = serializers.CharField(required=False)
    phone = serializers.CharField(required=False)
    address = serializers.CharField(required=False)
    channel = serializers.ChoiceField(Need.Channel.choices, required=False)
    requester_type = serializers.ChoiceField(Need.RequesterType.choices, required=False)
    description = serializers.CharField(required=False)
    tools_needed = serializers.CharField(required=False)
    vehicle_needed = serializers.BooleanField(required=False)
    hazards = serializers.CharField(required=False)
    household = serializers.ListField(child=serializers.ChoiceField(Household.choices), required=False)
    welfare = serializers.ChoiceField(Need.Welfare.choices, required=False)
    consent_share = serializers.BooleanField(required=False)
    notes = serializers.CharField(required=False)
    closure = serializers.CharField(required=False, help_text="Why a cancelled need left the list, or empty.")
    base = serializers.IntegerField(source="base_id", allow_null=True, required=False)
    duplicate_of = serializers.IntegerField(source="duplicate_of_id", allow_null=True, required=False)
    allowed_statuses = serializers.SerializerMethodField(
        required=False, help_text="Statuses this user may set by hand now (only for roles that edit needs).")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sight: Sight | None = self.context.get("sight")
        for name in list(self.fields):
            if self.sight is not None and not self.sight.given(NEED, name):
                self.fields.pop(name)
        if self.context.get("editor") is False:
            self.fields.pop("allowed_statuses")

    def to_representation(self, instance):
        return super().to_representation((self.sight or AUDIENCES[LIMITED]).mask(instance))

    def get_work_types(self, need) -> list[str]:
        return sorted(wt.code for wt in need.work_types.all())

    def get_allowed_statuses(self, need) -> list[str]:
        return manual_targets(need)


# --- in ---------------------------------------------------------------------------------------------------
class NeedFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField([("open", gettext_lazy("未完了すべて")), *NeedStatus.choices], required=False,
                                     help_text="A status, or `open` for every status not finished.")
    district = serializers.CharField(max_length=40, required=False)
    work_type = serializers.SlugField(max_length=50, required=False, help_text="A work type code, e.g. mud.")
    priority = serializers.ChoiceField(Need.Priority.choices, required=False)
    bbox = serializers.CharField(max_length=200, required=False,
                                 help_text="west,south,east,north in degrees (Leaflet's toBBoxString()).")
    updated_since = MomentField(required=False, help_text="Only needs changed at or after this.")
    q = serializers.CharField(max_length=100, required=False,
                              help_text="Text search over the number, the district and the fields the role sees.")

    def validate_work_type(self, value):
        if not WorkType.objects.filter(code=value).exists():
            raise serializers.ValidationError(_("不明な作業内容です: %(value)s") % {"value": value})
        return value

    def validate_bbox(self, value):
        try:
            return parse_bbox(value)
        except BBoxError:
            raise serializers.ValidationError(
                _("bboxは「西,南,東,北」の順に4つの数値（度）で指定してください。")) from None


class NeedListFilterSerializer(NeedFilterSerializer):
    """The list's filters in a URL: every one but the text search, whose words may be personal."""

    q = None


class NeedInputSerializer(serializers.Serializer):
    """The fields of intake and edit. Values are checked again by the needs service (one check for every
    path: forms, import, API); its messages come back per field."""

    requester_name = serializers.CharField(max_length=80)
    requester_kana = serializers.CharField(max_length=80, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200)
    district = serializers.CharField(max_length=40, required=False, allow_blank=True)
    lat = serializers.FloatField(required=False, allow_null=True, min_value=LAT_RANGE[0], max_value=LAT_RANGE[1])
    lng = serializers.FloatField(required=False, allow_null=True, min_value=LNG_RANGE[0], max_value=LNG_RANGE[1])
    work_types = serializers.ListField(child=serializers.SlugField(max_length=50), required=False, max_length=20,
                                       help_text="Work type codes, e.g. [\"mud\", \"furniture\"].")
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    people_needed = serializers.IntegerField(required=False, min_value=1, max_value=200)
    days_needed = serializers.IntegerField(required=False, min_value=1, max_value=60)
    tools_needed = serializers.CharField(max_length=200, required=False, allow_blank=True)
    vehicle_needed = serializers.BooleanField(required=False)
    hazards = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    household = serializers.ListField(child=serializers.ChoiceField(Household.choices), required=False,
                                      max_length=len(Household.choices))
    consent_share = serializers.BooleanField(required=False)
    priority = serializers.ChoiceField(Need.Priority.choices, required=False)
    channel = serializers.ChoiceField(Need.Channel.choices, required=False)
    requester_type = serializers.ChoiceField(Need.RequesterType.choices, required=False)
    notes = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    received_at = MomentField(required=False)
    base = serializers.IntegerField(required=False, allow_null=True, min_value=1)

    def validate_base(self, value):
        if value is None:
            return None
        base = Base.objects.filter(pk=value, centre=self.context["centre"]).first()
        if base is None:
            raise serializers.ValidationError(_("拠点が見つかりません。"))
        need = self.context.get("need")
        kept = need is not None and need.base_id == base.pk  # a record naming a retired base keeps it
        if not kept and not Base.objects.active().filter(pk=base.pk).exists():
            raise serializers.ValidationError(_("この拠点は廃止されています。"))
        return base


class NeedCreateSerializer(NeedInputSerializer):
    welfare = serializers.ChoiceField(Need.Welfare.choices, required=False)
    welfare_note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class StatusChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(NeedStatus.choices)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="",
                                   help_text="Required by the centre's rules when cancelling.")
    closure = serializers.ChoiceField(Closure.choices, required=False, allow_blank=True, default="")


# --- views ------------------------------------------------------------------------------------------------
class NeedsMixin:
    schema_tag = "needs"

    def need_context(self) -> dict:
        if self.fake:  # the schema describes every field
            return {}
        return {"request": self.request, "sight": self.sight(), "editor": self.can(Cap.EDIT_NEEDS)}

    def sight(self) -> Sight:
        return sight_of(self.request.user, self.centre)

    def get_need(self, pk) -> Need:
        return get_object_or_404(Need.objects.prefetch_related("work_types"), centre=self.centre, pk=pk)

    def show(self, need, code=status.HTTP_200_OK):
        need = self.get_need(need.pk)  # fresh, with its work types
        return Response(NeedSerializer(need, context=self.need_context()).data, status=code)


class NeedListingMixin(NeedsMixin):
    def listing(self, data):
        """One page of the needs the filters in `data` select, as the caller's role sees them."""
        params = NeedFilterSerializer(data=data)
        params.is_valid(raise_exception=True)
        f = params.validated_data
        qs = selectors.needs_list(self.centre, status=f.get("status", ""), district=f.get("district", ""),
                                  work_type=f.get("work_type", ""), priority=str(f.get("priority", "")),
                                  q=f.get("q", ""), sight=self.sight())
        if f.get("bbox"):
            qs = f["bbox"].filter(qs)
        if f.get("updated_since"):
            qs = qs.filter(updated_at__gte=f["updated_since"])
        return self.paged(qs, NeedSerializer, **self.need_context())


class SearchByPost(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "search_by_post"


class NeedListView(NeedListingMixin, CentreView):
    required_caps = {"GET": Cap.VIEW_NEEDS, "POST": Cap.EDIT_NEEDS}

    @extend_schema(operation_id="needs_list", parameters=[NeedListFilterSerializer],
                   responses=NeedSerializer(many=True), summary="List needs",
                   description="Filters in the query string. Text search (`q`) is `POST …/needs/search/`: "
                               "its words may be a name or a phone, which a URL would leave in access logs; "
                               "a `q` here is refused (400, code `search_by_post`).")
    def get(self, request, centre):
        if "q" in request.query_params:
            search = reverse("api:needs_search", kwargs={"centre": self.centre.slug})
            raise SearchByPost(_("検索語（q）はURLに入れず、POST %(url)s の本文で送ってください"
                                 "（URLはアクセスログに残ります）。") % {"url": search})
        return self.listing(request.query_params)

    @extend_schema(operation_id="needs_create", request=NeedCreateSerializer, responses={201: NeedSerializer},
                   summary="Record a new need (受付)")
    def post(self, request, centre):
        data = self.valid(NeedCreateSerializer)
        need = record_need(centre=self.centre, by=request.user, **data)
        return self.show(need, status.HTTP_201_CREATED)

    def valid(self, serializer_class, **kwargs) -> dict:
        serializer = serializer_class(data=self.request.data, context={"centre": self.centre}, **kwargs)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


class NeedSearchView(NeedListingMixin, CentreView):
    """The text search (and every filter of the list) by POST: the words stay out of URLs and access logs."""

    required_caps = {"POST": Cap.VIEW_NEEDS}

    @extend_schema(operation_id="needs_search", request=NeedFilterSerializer, responses=NeedSerializer(many=True),
                   summary="Search needs (the words and the filters in the body; pages in the query string)")
    def post(self, request, centre):
        return self.listing(request.data)


class NeedDetailView(NeedsMixin, CentreView):
    required_caps = {"GET": Cap.VIEW_NEEDS, "PATCH": Cap.EDIT_NEEDS}

    @extend_schema(operation_id="needs_retrieve", responses=NeedSerializer, summary="A need")
    def get(self, request, centre, pk):
        return self.show(self.get_need(pk))

    @extend_schema(operation_id="needs_partial_update", request=NeedInputSerializer, responses=NeedSerializer,
                   summary="Change a need's details (not its status)")
    def patch(self, request, centre, pk):
        need = self.get_need(pk)
        serializer = NeedInputSerializer(data=request.data, partial=True, context={"centre": self.centre, "need": need})
        serializer.is_valid(raise_exception=True)
        update_need(need, by=request.user, **serializer.validated_data)
        return self.show(need)


class NeedStatusView(NeedsMixin, CentreView):
    required_caps = {"POST": Cap.EDIT_NEEDS}

    @extend_schema(operation_id="needs_status_change", request=StatusChangeSerializer, responses=NeedSerializer,
                   summary="Change a need's status through the transition table")
    def post(self, request, centre, pk):
        need = self.get_need(pk)
        serializer = StatusChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        set_status_by_hand(need, d["status"], by=request.user, reason=d["reason"], closure=d["closure"])
        return self.show(need)
