"""Centres the caller works at, a centre's daily figures, and the public status (aggregates only, no auth)."""
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from api.base import ApiView, CentreView
from api.fields import DayQuerySerializer
from api.throttling import PublicRateThrottle
from api.tokens import token_of
from ops.boards import feed
from ops.boards.views import public_document
from ops.centres.models import Centre
from ops.permissions import Cap, caps_of, centres_for, roles_of
from ops.reports.figures import daily_figures


class CentreSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    municipality = serializers.CharField()
    prefecture = serializers.CharField()
    status = serializers.ChoiceField(Centre.Status.choices)
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


class PublicStatusSerializer(serializers.Serializer):
    seq = serializers.IntegerField(help_text="The centre's event sequence number this snapshot matches.")
    date = serializers.DateField()
    timezone = serializers.CharField()
    name = serializers.CharField()
    centre = PublicCentreSerializer()
    counters = CountersSerializer()
    days = DaySerializer(many=True, help_text="Tomorrow and the six days after.")
    updated_at = serializers.DateTimeField()


class PublicStatusView(ApiView):
    """No credentials needed: the same aggregates as the public board, never a name or an address."""

    schema_tag = "public"
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]
    pagination_class = None

    @extend_schema(operation_id="public_status", responses=PublicStatusSerializer, auth=[],
                   summary="A centre's public status (募集状況, counters)")
    def get(self, request, centre):
        centre = get_object_or_404(Centre, slug=centre)
        return feed.respond(request, public_document(centre))

    def options(self, request, *args, **kwargs):
        return feed.preflight()
