"""Centres the caller works at, a centre's daily figures, and the public status (aggregates only, no auth)."""
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from api.base import ApiView, CentreView
from api.fields import DayQuerySerializer
from api.throttling import PublicRateThrottle
from api.tokens import token_of
from ops.boards import feed
from ops.boards.views import public_document
from ops.centres import public
from ops.centres.models import Base, Centre, Suspension
from ops.permissions import Cap, caps_of, centres_for, roles_of
from ops.reports.figures import daily_figures


class CentreSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    municipality = serializers.CharField()
    prefecture = serializers.CharField()
    status = serializers.ChoiceField(Centre.Status.choices)
    drill = serializers.BooleanField(source="is_drill", help_text="A drill's practice centre (訓練, ops.drills).")
    roles = serializers.SerializerMethodField()
    capabilities = serializers.SerializerMethodField(help_text="What the caller may do here (ops.permissions.Cap).")

    def get_roles(self, centre) -> list[str]:
        return sorted(roles_of(self.context["request"].user, centre))

    def get_capabilities(self, centre) -> list[str]:
        return sorted(str(c) for c in caps_of(self.context["request"].user, centre))


class CentreListView(ApiView):
    schema_tag = "centres"
    permission_classes = [IsAuthenticated]
    pagination_class = None

    @extend_schema(operation_id="centres_list", responses=CentreSerializer(many=True),
                   summary="Centres where the caller holds a role")
    def get(self, request):
        centres = centres_for(request.user)
        if (token := token_of(request)) is not None and token.centre_id is not None:
            centres = centres.filter(pk=token.centre_id)
        return Response(CentreSerializer(centres, many=True, context={"request": request}).data)


# --- daily figures ----------------------------------------------------------------------------------------
class FiguresSerializer(serializers.Serializer):
    """The daily report's figures (ops.reports.figures.daily_figures), as stored in DailyReport.figures."""

    centre = serializers.DictField()
    date = serializers.DateField()
    day_number = serializers.IntegerField(allow_null=True, help_text="Days since the centre opened (1 = opening).")
    computed_at = serializers.DateTimeField()
    volunteers = serializers.DictField(help_text="today / cumulative: people, by residence, hours ...")
    dispatches = serializers.DictField()
    needs = serializers.DictField()
    households = serializers.DictField()
    hours = serializers.DictField()
    safety = serializers.DictField()
    by_district = serializers.ListField(child=serializers.DictField())
    by_work_type = serializers.ListField(child=serializers.DictField())
    by_base = serializers.ListField(child=serializers.DictField())
    tools_out = serializers.ListField(child=serializers.DictField())
    tools_out_total = serializers.IntegerField()
    tools_overdue = serializers.ListField(child=serializers.DictField(),
                                          help_text="Tools not back by the day's return deadline, by kind.")
    tools_overdue_total = serializers.IntegerField()
    consumables = serializers.ListField(child=serializers.DictField(),
                                        help_text="Per consumable: name, unit, handed_out_today, handed_out "
                                                  "(since the first count) and on_hand, at the end of the day.")
    recruitment = serializers.DictField()
    welfare = serializers.DictField(required=False, help_text="福祉ケース, counts only: today / cumulative new, "
                                    "referred and closed; open and overdue at the end of the day.")


class FiguresView(CentreView):
    schema_tag = "reports"
    required_caps = {"GET": Cap.VIEW_REPORTS}
    pagination_class = None

    @extend_schema(operation_id="figures_retrieve", parameters=[DayQuerySerializer], responses=FiguresSerializer,
                   summary="The daily report's figures for a day")
    def get(self, request, centre):
        params = DayQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        day = params.validated_data.get("date") or self.centre.today()
        return Response(daily_figures(self.centre, day))


# --- public status ----------------------------------------------------------------------------------------
# The public contract (v1): other sites (a council's page, a news organisation, a prefecture's portal) read it.
# Stable within v1: fields are only added, never renamed, retyped or removed; a breaking change is /api/v2/.
PUBLIC_CONTRACT = (
    "The centre's public information and figures, as the public board shows them: aggregates and what the "
    "centre's staff typed for the public, never a person's name, phone or address. Anyone may read it, from "
    "any origin (CORS `*`; OPTIONS answers a preflight).\n\n"
    "Caching: every answer carries `ETag` (a hash of the body) and `Last-Modified`; send `If-None-Match` "
    "(or `If-Modified-Since`) and an unchanged document is a `304` with no body. `Cache-Control: public, "
    "max-age=10, stale-while-revalidate` lets a proxy or CDN absorb a spike; the figures lag at most a "
    "second or two behind the centre during a burst.\n\n"
    "Stability: part of API v1. Within v1 fields are only ever added; none is renamed, retyped or removed, "
    "and the codes (status, recruitment_status, recruitment_scope, suspension reason, base kind) only gain "
    "values. Ignore fields you do not know. `labels` are display words in the request's language "
    "(`Accept-Language`; Japanese by default). Times are ISO 8601 with offset; clock times HH:MM on the "
    "centre's clock (`timezone`).\n\n"
    "`updated_at` is when the public information last changed (a check-in does not move it); each group "
    "has its own time in `centre.changed`. `figures_at` is when a public figure (counters, places left) "
    "last moved."
)


class PositionSerializer(serializers.Serializer):
    lat = serializers.FloatField()
    lng = serializers.FloatField()


class HoursSerializer(serializers.Serializer):
    start = serializers.CharField(help_text="Reception opens (HH:MM).")
    end = serializers.CharField(help_text="Activities end (HH:MM).")


class LinksSerializer(serializers.Serializer):
    board = serializers.URLField(help_text="The public board (HTML).")
    register = serializers.URLField(help_text="Volunteer registration (事前登録).")
    book = serializers.URLField(help_text="Booking a day (事前予約).")
    request = serializers.URLField(help_text="The residents' request form (ニーズ受付).")
    feed = serializers.URLField(help_text="This document.")
    widget = serializers.URLField(help_text="The embeddable widget (an iframe's src).")


class TomorrowSerializer(serializers.Serializer):
    meeting_time = serializers.CharField(allow_null=True, help_text="集合時刻 (HH:MM), or null.")
    meeting_place = serializers.CharField(allow_blank=True)
    plan = serializers.CharField(allow_blank=True)


class PublicBaseSerializer(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.ChoiceField(Base.Kind.choices)
    address = serializers.CharField(allow_blank=True)
    lat = serializers.FloatField()
    lng = serializers.FloatField()


class PublicInfoSerializer(serializers.Serializer):
    phone = serializers.CharField(allow_blank=True, help_text="The centre's phone (センター電話番号).")
    address = serializers.CharField(allow_blank=True)
    position = PositionSerializer()
    reception_hours = HoursSerializer()
    return_deadline = serializers.CharField(help_text="帰着期限: every team back by then (HH:MM).")
    insurance_signup_url = serializers.CharField(allow_blank=True, help_text="Volunteer insurance sign-up.")
    links = LinksSerializer()
    work_today = serializers.CharField(allow_blank=True, help_text="本日の活動内容 (泥出し, 家財搬出 …).")
    tomorrow = TomorrowSerializer(help_text="明日の予定: meeting time and place, what is planned.")
    message = serializers.CharField(allow_blank=True, help_text="A free-text status message.")
    bases = PublicBaseSerializer(many=True, help_text="The active bases (本部 / サテライト).")


class SuspensionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    date = serializers.DateField()
    starts_at = serializers.CharField(allow_null=True, help_text="HH:MM from which activity stops; null: all day.")
    reason = serializers.ChoiceField(Suspension.Reason.choices)
    note = serializers.CharField(allow_blank=True)


class PublicCentreSerializer(serializers.Serializer):
    name = serializers.CharField()
    activity_start = serializers.CharField(help_text="Reception opens (HH:MM, the centre's clock).")
    activity_end = serializers.CharField(help_text="Activities end (HH:MM, the centre's clock).")
    status = serializers.ChoiceField(Centre.Status.choices)
    recruitment_status = serializers.ChoiceField(Centre.Recruitment.choices)
    recruitment_scope = serializers.ChoiceField(Centre.Scope.choices)
    daily_capacity = serializers.IntegerField()
    what_to_bring = serializers.CharField()
    notices = serializers.ListField(child=serializers.CharField())
    suspensions = SuspensionSerializer(many=True, help_text="活動中止 of today and the coming days (not lifted).")
    info = PublicInfoSerializer()
    changed = serializers.DictField(child=serializers.DateTimeField(allow_null=True), help_text=(
        "When each group of public information last changed: " + ", ".join(public.GROUPS) + "."))
    updated_at = serializers.DateTimeField(allow_null=True, help_text="The latest of `changed`.")


class CountersSerializer(serializers.Serializer):
    volunteers_today = serializers.IntegerField()
    volunteers_total = serializers.IntegerField()
    needs_received_today = serializers.IntegerField()
    needs_received_total = serializers.IntegerField()
    needs_completed_today = serializers.IntegerField()
    needs_completed_total = serializers.IntegerField()


class DaySerializer(serializers.Serializer):
    date = serializers.DateField()
    booked = serializers.IntegerField(help_text="People holding a place that day (a group's booking counts its "
                                                "head count).")
    capacity = serializers.IntegerField()
    left = serializers.IntegerField(help_text="Places left that day: capacity less people booked (the booking "
                                              "service's own figure).")
    closed = serializers.BooleanField(help_text="The centre takes nobody that day (休止日); capacity and left are 0.")
    suspended = serializers.BooleanField(help_text="活動中止 for the whole day.")
    booking_open = serializers.BooleanField(help_text="The booking page takes a booking for the day now.")
    booking_url = serializers.URLField(allow_null=True, help_text="Where to book the day; null when not open.")
    offering_url = serializers.URLField(allow_null=True, required=False, help_text=(
        "The prefecture's one registration point of the disaster when the day is applied for there (an offering, "
        "県の受付窓口); null otherwise."))


class LabelsSerializer(serializers.Serializer):
    status = serializers.CharField()
    recruitment_status = serializers.CharField()
    recruitment_scope = serializers.CharField()


class PublicStatusSerializer(serializers.Serializer):
    seq = serializers.IntegerField(help_text="The centre's event sequence number this snapshot matches.")
    date = serializers.DateField(help_text="The centre's day.")
    timezone = serializers.CharField()
    day_started_at = serializers.DateTimeField()
    name = serializers.CharField()
    centre = PublicCentreSerializer()
    counters = CountersSerializer()
    days = DaySerializer(many=True, help_text="Tomorrow and the six days after.")
    updated_at = serializers.DateTimeField(help_text="When the public information last changed.")
    figures_at = serializers.DateTimeField(allow_null=True, help_text="When a public figure last moved.")
    labels = LabelsSerializer(help_text="Display words for the codes, in the request's language.")


class PublicStatusView(ApiView):
    """No credentials needed: the same aggregates as the public board, never a name or an address."""

    schema_tag = "public"
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]
    pagination_class = None

    @extend_schema(operation_id="public_status", responses={200: PublicStatusSerializer,
                                                            304: OpenApiResponse(description="Not modified.")},
                   auth=[], summary="A centre's public information and figures (the public contract, v1)",
                   description=PUBLIC_CONTRACT)
    def get(self, request, centre):
        centre = get_object_or_404(Centre, slug=centre)
        return feed.respond(request, public_document(centre))

    def options(self, request, *args, **kwargs):
        return feed.preflight()
