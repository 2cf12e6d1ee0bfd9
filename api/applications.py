"""A volunteer applies for a place (応募) at a centre's offered date through the prefecture's one registration
point, from their phone: their personal token says who. The service (ops.prefecture.services.offerings.apply)
decides the rest (the centre's scope and age rule, the deadline, the bus); applying again is the same
application."""
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from api.base import VolunteerView
from ops.prefecture.models import Application, BusDeparture, Offering
from ops.prefecture.services.offerings import apply, cancel_application


class ApplySerializer(serializers.Serializer):
    offering = serializers.IntegerField(min_value=1, help_text="The offering (受入枠) applied for.")
    bus = serializers.IntegerField(min_value=1, required=False, allow_null=True,
                                   help_text="A bus departure to the same centre and date, to ride it.")


class ApplicationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    offering = serializers.IntegerField(source="offering_id")
    centre = serializers.SlugField(source="offering.centre.slug")
    date = serializers.DateField(source="offering.date")
    status = serializers.ChoiceField(Application.Status.choices)
    bus = serializers.IntegerField(source="bus_id", allow_null=True)
    seat = serializers.IntegerField(allow_null=True)
    created = serializers.BooleanField(required=False, help_text="False when this repeats an earlier application.")


class ApplicationsView(VolunteerView):
    """POST: apply for an offered date."""

    @extend_schema(operation_id="volunteer_apply", request=ApplySerializer,
                   responses={200: ApplicationSerializer, 201: ApplicationSerializer},
                   summary="A volunteer's application for an offered date at a centre",
                   description="201 for a new application, 200 when it repeats one. 409 with code "
                               "application_refused.<reason> when the centre's rules or the deadline refuse it.")
    def post(self, request):
        serializer = ApplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        offering = get_object_or_404(Offering.objects.select_related("centre"), pk=d["offering"])
        bus = None
        if d.get("bus") is not None:
            bus = BusDeparture.objects.filter(pk=d["bus"]).first()
            if bus is None:
                raise serializers.ValidationError({"bus": [_("バスが見つかりません。")]})
        application = apply(request.auth, offering, bus=bus)
        created = getattr(application, "created", False)
        application.created = created
        return Response(ApplicationSerializer(application).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class CancelApplicationView(VolunteerView):
    """POST: cancel the volunteer's own application."""

    @extend_schema(operation_id="volunteer_cancel_application", request=None,
                   responses={200: ApplicationSerializer},
                   summary="A volunteer cancels their application (a place held goes to the waiting list)")
    def post(self, request, pk):
        _body = request.data  # no field is read, but a body too big or not JSON is refused like every write's (413/400)
        application = get_object_or_404(Application.objects.select_related("offering__centre"), pk=pk,
                                        volunteer=request.auth)
        application = cancel_application(application)
        return Response(ApplicationSerializer(application).data)

