"""A council's public address (社会福祉協議会): its 平常時 message and links, or its open centres (no auth)."""
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from api.base import ApiView
from api.centres import LinksSerializer
from api.throttling import PublicRateThrottle
from ops.boards import feed
from ops.centres.council_feed import DISASTER, NORMAL, council_document
from ops.centres.models import Centre, Council


class CouncilSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    prefecture = serializers.CharField()
    municipality = serializers.CharField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True, help_text="The council's office, typed by its staff.")
    address = serializers.CharField(allow_blank=True)
    website = serializers.CharField(allow_blank=True)
    url = serializers.URLField(help_text="The council's page on this site.")
    feed = serializers.URLField(help_text="This document's address.")


class LinkSerializer(serializers.Serializer):
    label = serializers.CharField()
    url = serializers.URLField()


class CouncilCentreSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    municipality = serializers.CharField()
    prefecture = serializers.CharField()
    status = serializers.ChoiceField(Centre.Status.choices, help_text="open or preparing (closed ones are not listed).")
    status_label = serializers.CharField()
    recruitment_status = serializers.ChoiceField(Centre.Recruitment.choices)
    recruitment_label = serializers.CharField()
    recruitment_scope = serializers.ChoiceField(Centre.Scope.choices)
    recruitment_scope_label = serializers.CharField()
    phone = serializers.CharField(allow_blank=True, help_text="The centre's own phone.")
    message = serializers.CharField(allow_blank=True, help_text="The centre's short status message.")
    work_today = serializers.CharField(allow_blank=True)
    volunteers_today = serializers.IntegerField(help_text="Volunteers checked in today (the public counter).")
    links = LinksSerializer()
    updated_at = serializers.DateTimeField(allow_null=True, help_text="The centre's public information's last "
                                                                       "change.")


class PublicCouncilSerializer(serializers.Serializer):
    council = CouncilSerializer()
    mode = serializers.ChoiceField([NORMAL, DISASTER], help_text="normal: none of the council's centres is open "
                                   "or preparing (message and links); disaster: `centres` lists those that are.")
    message = serializers.CharField(allow_blank=True, help_text="The council's 平常時 message (empty in disaster "
                                                                "mode).")
    links = LinkSerializer(many=True)
    centres = CouncilCentreSerializer(many=True)
    updated_at = serializers.DateTimeField(help_text="The council's information's last change.")


class PublicCouncilView(ApiView):
    """No credentials needed: what the council's page shows, never a person's data."""

    schema_tag = "public"
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]
    pagination_class = None

    @extend_schema(operation_id="public_council", responses=PublicCouncilSerializer, auth=[],
                   summary="A council's public address (平常時 message and links, or its open centres)")
    def get(self, request, council):
        council = get_object_or_404(Council, slug=council)
        return feed.respond(request, council_document(council))

    def options(self, request, *args, **kwargs):
        return feed.preflight()
