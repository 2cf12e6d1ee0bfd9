"""A volunteer checks themself in from their phone: their personal token says who, the day's code from
the centre's QR poster says where and that they are there today. The check-in service decides the rest
(age, insurance, health, capacity) and makes a retry the same check-in."""
from django.shortcuts import get_object_or_404
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from api.base import VolunteerView
from ops.centres.models import Base, Centre
from ops.volunteers import codes
from ops.volunteers.models import Attendance, Volunteer
from ops.volunteers.rules import HEALTH_ITEMS
from ops.volunteers.services import check_in


class HealthSerializer(serializers.Serializer):
    """The morning health check; every answer must be true to take part today."""

    def get_fields(self):
        return {key: serializers.BooleanField(help_text=str(label)) for key, label in HEALTH_ITEMS}


class CheckInSerializer(serializers.Serializer):
    centre = serializers.SlugField(max_length=50, help_text="The centre's identifier (its slug).")
    code = serializers.CharField(max_length=64, help_text="The day's check-in code, as in the poster's QR URL.")
    health = HealthSerializer()
    insurance_confirmed = serializers.BooleanField(help_text="Volunteer activity insurance confirmed.")
    insurance = serializers.ChoiceField(Volunteer.Insurance.choices, required=False,
                                        help_text="Declare an insurance status now (enrolled on the spot).")
    head_count = serializers.IntegerField(min_value=1, max_value=999, required=False, default=1,
                                          help_text="A group's leader checks the group in with its head count.")
    base = serializers.IntegerField(min_value=1, required=False, allow_null=True)


class AttendanceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    centre = serializers.SlugField(source="centre.slug")
    date = serializers.DateField()
    checked_in_at = serializers.DateTimeField()
    checked_out_at = serializers.DateTimeField(allow_null=True)
    base = serializers.IntegerField(source="base_id", allow_null=True)
    head_count = serializers.IntegerField()
    created = serializers.BooleanField(help_text="False when this repeats an earlier check-in of the day.")


class CheckInView(VolunteerView):
    """POST: the volunteer checks themself in."""

    @extend_schema(operation_id="volunteer_check_in", request=CheckInSerializer,
                   responses={200: AttendanceSerializer, 201: AttendanceSerializer},
                   summary="A volunteer's own check-in with the day's QR code",
                   description="201 for a new check-in, 200 when the volunteer was already checked in today.")
    def post(self, request, token=None):
        serializer = CheckInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        centre = get_object_or_404(Centre, slug=d["centre"])
        today = centre.today()
        if not codes.is_valid(centre, d["code"], today):
            raise serializers.ValidationError({"code": [self._code_refusal(centre, d["code"], today)]})
        base = None
        if d.get("base") is not None:
            base = Base.objects.active().filter(centre=centre, pk=d["base"]).first()
            if base is None:
                raise serializers.ValidationError({"base": [_("拠点が見つかりません。")]})
        attendance = check_in(
            request.auth, centre, on=today, via=Attendance.Via.PHONE, health=dict(d["health"]),
            insurance_confirmed=d["insurance_confirmed"], insurance=d.get("insurance"), base=base,
            head_count=d["head_count"])
        code = status.HTTP_201_CREATED if getattr(attendance, "created", False) else status.HTTP_200_OK
        attendance.created = code == status.HTTP_201_CREATED
        return Response(AttendanceSerializer(attendance).data, status=code)

    @staticmethod
    def _code_refusal(centre, code, today) -> str:
        made_for = codes.day_of_code(centre, code, today)
        if made_for is not None:
            return _("このQRコードは%(day)sのものです。本日の受付のQRコードを読み取ってください。") % {
                "day": date_format(made_for, "SHORT_DATE_FORMAT")}
        return _("受付のQRコードが正しくありません。センターに掲示されている本日のQRコードを読み取ってください。")


class CheckInByLinkView(CheckInView):
    """The same, with the personal token in the URL (for a phone that opens the volunteer's own link)."""

    @extend_schema(operation_id="volunteer_check_in_by_link", request=CheckInSerializer,
                   parameters=[OpenApiParameter("token", str, OpenApiParameter.PATH,
                                                description="The volunteer's personal token.")],
                   responses={200: AttendanceSerializer, 201: AttendanceSerializer},
                   summary="A volunteer's own check-in, token in the URL", auth=[])
    def post(self, request, token=None):
        return super().post(request, token)
