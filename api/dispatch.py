"""Teams (班) and dispatches (送り出し) of a day, and return reports (活動報告). Every write calls the
dispatch services, where the rules live (a team on one need at a time, a need not past its demand, the
need's status through the transition table). Like the dispatch desk's pages, all of it needs
Cap.DISPATCH; volunteers' names only with Cap.RECEPTION."""
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response

from api.base import CentreView
from api.fields import DayQuerySerializer, MomentField
from ops.centres.models import Base
from ops.dispatch import selectors
from ops.dispatch.models import Dispatch, ReturnReport, Team
from ops.dispatch.services import cancel_dispatch, dispatch, file_return_report, form_team
from ops.needs.models import Need
from ops.permissions import Cap
from ops.welfare.concerns import Concern


# --- out --------------------------------------------------------------------------------------------------
class MemberSerializer(serializers.Serializer):
    attendance = serializers.IntegerField(source="pk", help_text="The member's attendance id of the day.")
    head_count = serializers.IntegerField()
    checked_out = serializers.SerializerMethodField()
    name = serializers.SerializerMethodField(required=False, help_text="Only for roles with reception rights.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.context.get("names") is False:
            self.fields.pop("name")

    def get_checked_out(self, attendance) -> bool:
        return attendance.checked_out_at is not None

    def get_name(self, attendance) -> str:
        return attendance.volunteer.name


class TeamSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField(help_text="T-03")
    number = serializers.IntegerField()
    date = serializers.DateField()
    status = serializers.ChoiceField(Team.Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    base = serializers.IntegerField(source="base_id", allow_null=True)
    vehicle = serializers.CharField()
    leader = serializers.IntegerField(source="leader_id", allow_null=True, help_text="The leader's attendance id.")
    expected_return_at = serializers.DateTimeField(allow_null=True)
    overdue = serializers.SerializerMethodField()
    dispatch = serializers.SerializerMethodField(help_text="The active dispatch's id, or null.")
    need = serializers.SerializerMethodField(help_text="The need the team is out on, or null.")
    members = serializers.SerializerMethodField()

    def get_overdue(self, team) -> bool:
        return selectors.is_overdue(team)

    def get_dispatch(self, team) -> int | None:
        active = team.active_dispatch
        return active.pk if active else None

    def get_need(self, team) -> int | None:
        active = team.active_dispatch
        return active.need_id if active else None

    @extend_schema_field(MemberSerializer(many=True))
    def get_members(self, team) -> list[dict]:
        members = getattr(team, "member_list", None)
        if members is None:
            members = team.members.select_related("volunteer").order_by("pk")
        return MemberSerializer(members, many=True, context=self.context).data


class ReportSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(ReturnReport.Outcome.choices)
    people = serializers.IntegerField()
    hours = serializers.DecimalField(max_digits=4, decimal_places=2)
    work_done = serializers.CharField()
    injuries = serializers.IntegerField()
    heat_illness = serializers.IntegerField()
    near_miss = serializers.CharField()
    tools_returned = serializers.BooleanField()
    filed_at = serializers.DateTimeField()
    filed_via = serializers.CharField()


class DispatchSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    team = serializers.IntegerField(source="team_id")
    team_label = serializers.CharField(source="team.label")
    need = serializers.IntegerField(source="need_id")
    need_label = serializers.CharField(source="need.label")
    date = serializers.DateField()
    people = serializers.IntegerField()
    status = serializers.ChoiceField(Dispatch.Status.choices)
    dispatched_at = serializers.DateTimeField()
    expected_return_at = serializers.DateTimeField()
    returned_at = serializers.DateTimeField(allow_null=True)
    cancelled_at = serializers.DateTimeField(allow_null=True)
    cancel_reason = serializers.CharField()
    report = serializers.SerializerMethodField()

    @extend_schema_field(ReportSerializer(allow_null=True))
    def get_report(self, record):
        try:
            return ReportSerializer(record.report).data
        except ReturnReport.DoesNotExist:
            return None


class WaitingSerializer(serializers.Serializer):
    attendance = serializers.IntegerField(source="pk")
    head_count = serializers.IntegerField()
    base = serializers.IntegerField(source="base_id", allow_null=True)
    checked_in_at = serializers.DateTimeField()
    skills = serializers.ListField(child=serializers.CharField(), source="volunteer.skills")
    name = serializers.CharField(source="volunteer.name", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.context.get("names") is False:
            self.fields.pop("name")


# --- in ---------------------------------------------------------------------------------------------------
class TeamCreateSerializer(serializers.Serializer):
    members = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=100,
                                    help_text="Attendance ids of today's waiting volunteers.")
    leader = serializers.IntegerField(min_value=1, help_text="One of the members' attendance ids.")
    base = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    vehicle = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")

    def validate_base(self, value):
        if value is not None and not Base.objects.active().filter(pk=value, centre=self.context["centre"]).exists():
            raise serializers.ValidationError(_("拠点が見つかりません。"))
        return value


class DispatchCreateSerializer(serializers.Serializer):
    team = serializers.IntegerField(min_value=1)
    need = serializers.IntegerField(min_value=1)
    return_by = MomentField(required=False, allow_null=True,
                                          help_text="Due back by; never later than the centre's return deadline.")

    def validate_team(self, value):
        team = Team.objects.filter(pk=value, centre=self.context["centre"]).first()
        if team is None:
            raise serializers.ValidationError(_("班が見つかりません。"))
        return team

    def validate_need(self, value):
        need = Need.objects.filter(pk=value, centre=self.context["centre"]).first()
        if need is None:
            raise serializers.ValidationError(_("ニーズが見つかりません。"))
        return need


class ReturnReportSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(ReturnReport.Outcome.choices)
    people = serializers.IntegerField(min_value=0, max_value=1000)
    hours = serializers.DecimalField(max_digits=4, decimal_places=2, min_value=0)
    work_done = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    injuries = serializers.IntegerField(min_value=0, max_value=1000, required=False, default=0)
    heat_illness = serializers.IntegerField(min_value=0, max_value=1000, required=False, default=0)
    near_miss = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    tools_returned = serializers.BooleanField(
        required=False, default=False,
        help_text="Every tool lent to the team is back at the tool desk: closes its open loans. Not sent: they stay lent.")
    concerns = serializers.ListField(
        child=serializers.ChoiceField(Concern.choices), required=False, default=list, max_length=len(Concern.values),
        help_text="気になったこと: what the team noticed about the household. Passed to the welfare staff (a case, or a "
                  "contact on its open case); never kept on the report or returned.")
    concern_note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="",
                                   help_text="Why, for the record (e.g. wrong team, the resident called off the visit).")


# --- views ------------------------------------------------------------------------------------------------
class DispatchDesk(CentreView):
    required_caps = {"GET": Cap.DISPATCH, "POST": Cap.DISPATCH}

    def context(self) -> dict:
        if self.fake:
            return {}
        return {"request": self.request, "names": self.can(Cap.RECEPTION)}

    def day(self):
        params = DayQuerySerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return params.validated_data.get("date") or self.centre.today()

    def input(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data, context={"centre": self.centre})
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class TeamListView(DispatchDesk):
    schema_tag = "teams"

    @extend_schema(operation_id="teams_list", parameters=[DayQuerySerializer], responses=TeamSerializer(many=True),
                   summary="The day's teams (not disbanded)")
    def get(self, request, centre):
        return self.paged(selectors.teams_of_day(self.centre, self.day()), TeamSerializer, **self.context())

    @extend_schema(operation_id="teams_create", request=TeamCreateSerializer, responses={201: TeamSerializer},
                   summary="Form a team (班編成) from today's waiting volunteers")
    def post(self, request, centre):
        d = self.input(TeamCreateSerializer)
        team = form_team(centre=self.centre, on=self.centre.today(), members=d["members"],
                         leader=d["leader"], base=d.get("base"), vehicle=d["vehicle"], by=request.user)
        return Response(TeamSerializer(team, context=self.context()).data, status=status.HTTP_201_CREATED)


class TeamDetailView(DispatchDesk):
    schema_tag = "teams"

    @extend_schema(operation_id="teams_retrieve", responses=TeamSerializer, summary="A team")
    def get(self, request, centre, pk):
        team = get_object_or_404(Team, centre=self.centre, pk=pk)
        return Response(TeamSerializer(team, context=self.context()).data)


class WaitingListView(DispatchDesk):
    schema_tag = "teams"

    @extend_schema(operation_id="teams_waiting", responses=WaitingSerializer(many=True),
                   summary="Today's checked-in volunteers not yet in a team")
    def get(self, request, centre):
        waiting = selectors.waiting_volunteers(self.centre, self.centre.today())
        return self.paged(waiting, WaitingSerializer, **self.context())


class DispatchDeskRecords(DispatchDesk):
    schema_tag = "dispatches"

    def fresh(self, pk):
        return Dispatch.objects.select_related("team", "need").get(pk=pk)

    def get_dispatch(self, pk):
        return get_object_or_404(Dispatch.objects.select_related("team", "need"), centre=self.centre, pk=pk)


class DispatchListView(DispatchDeskRecords):
    @extend_schema(operation_id="dispatches_list", parameters=[DayQuerySerializer],
                   responses=DispatchSerializer(many=True), summary="The day's dispatches")
    def get(self, request, centre):
        return self.paged(selectors.dispatches_of_day(self.centre, self.day()), DispatchSerializer)

    @extend_schema(operation_id="dispatches_create", request=DispatchCreateSerializer,
                   responses={201: DispatchSerializer}, summary="Send a ready team to a need (送り出し)")
    def post(self, request, centre):
        d = self.input(DispatchCreateSerializer)
        record = dispatch(d["team"], d["need"], by=request.user, return_by=d.get("return_by"))
        return Response(DispatchSerializer(self.fresh(record.pk)).data, status=status.HTTP_201_CREATED)


class DispatchDetailView(DispatchDeskRecords):
    @extend_schema(operation_id="dispatches_retrieve", responses=DispatchSerializer, summary="A dispatch")
    def get(self, request, centre, pk):
        return Response(DispatchSerializer(self.get_dispatch(pk)).data)


class ReturnReportView(DispatchDeskRecords):
    @extend_schema(operation_id="dispatches_return_report", request=ReturnReportSerializer,
                   responses={201: DispatchSerializer}, summary="File the team's return report (活動報告)")
    def post(self, request, centre, pk):
        record = self.get_dispatch(pk)
        d = self.input(ReturnReportSerializer)
        file_return_report(record, by=request.user, via="staff", **d)
        return Response(DispatchSerializer(self.fresh(record.pk)).data, status=status.HTTP_201_CREATED)


class CancelView(DispatchDeskRecords):
    @extend_schema(operation_id="dispatches_cancel", request=CancelSerializer, responses={200: DispatchSerializer},
                   summary="Take back a dispatch made by mistake, before the team starts work (送り出し取消)")
    def post(self, request, centre, pk):
        record = self.get_dispatch(pk)
        d = self.input(CancelSerializer)
        cancel_dispatch(record, by=request.user, reason=d["reason"])
        return Response(DispatchSerializer(self.fresh(record.pk)).data)
