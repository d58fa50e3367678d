"""The deletion feed, ``/api/v1/deleted/``: what was deleted, for partners who mirror the API.

Mirroring the API (docs/deployment.md, "Mirroring the API"):

1. walk each resource with ``?mode=cursor`` (:class:`core.api.pagination.SyncCursorPagination`),
   following ``next`` to the end, upserting records by ``key``; keep the ``updated_at`` of the
   last record;
2. walk ``/api/v1/deleted/`` the same way, removing each ``key`` of its ``resource`` unless the
   copy held is newer than ``deleted_at`` (the record was deleted, then made again); keep the
   ``deleted_at`` of the last tombstone;
3. next time, pass the kept times as ``updated_since`` and ``since``.

Each row: ``{"resource": "memberships", "key": "mercociudades~montevideo-uy~1995-11-11",
"deleted_at": "2026-12-02T15:00:00.123456Z", "replaced_by": null}``, in the order of deletion
(``deleted_at``, then the row's id), one query per page whatever the number of tombstones.

A record whose key was renamed (a network's slug changed) is gone under its old key: the feed lists
the old key, with the new one as ``replaced_by`` (``{"resource": "networks", "key":
"mercocidades", "replaced_by": "mercociudades", …}``); the record comes under its new key in the
cursor walk, being changed by the rename. A client that follows step 2 as it is ends with exactly
the server's records; one that keeps its own data about a record can move it to ``replaced_by``
instead. Keys of records without a slug (memberships, offices…) never change (core/api/keys.py).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny

from core.models import Tombstone

from .filters import UTCDateTimeField
from .pagination import KeysetCursorPagination
from .schema import AutoSchema


class DeletedPagination(KeysetCursorPagination):
    ordering = ("deleted_at", "id")
    page_size = 500
    max_page_size = 5000


class DeletedRecordSerializer(serializers.Serializer):
    resource = serializers.CharField(help_text=_("The API resource the record belonged to, e.g. memberships."))
    key = serializers.CharField(help_text=_("The record's key in that resource."))
    deleted_at = serializers.DateTimeField(help_text=_("When it was deleted (or renamed)."))
    replaced_by = serializers.CharField(
        allow_null=True,
        help_text=_("The record's new key when it was renamed rather than deleted; null for a deletion."),
    )


class DeletedFeedSchema(AutoSchema):
    """The feed's parameters, ``resource`` with the resources the URLconf gives the view; its
    answer a cursor page of deleted records (DeletedPagination)."""

    def _is_list_view(self, serializer=None):
        return True

    def get_override_parameters(self):
        return [
            OpenApiParameter(
                "since",
                OpenApiTypes.DATETIME,
                description=_("Only records deleted at or after this time (ISO 8601)."),
            ),
            OpenApiParameter(
                "resource",
                str,
                enum=sorted(set(self.view.resources.values())),
                description=_("Only records of this resource, e.g. memberships."),
            ),
        ]

    def _get_extra_validation_errors(self):
        names = ("since", "resource", "cursor", "page_size")
        return {**super()._get_extra_validation_errors(), **{name: {"invalid"} for name in names}}


class DeletedFeedView(GenericAPIView):
    """Records deleted from the API's resources, oldest first, with a cursor (see the module
    docstring). ``?since=`` (ISO 8601) keeps those deleted at or after a time, ``?resource=`` those
    of one resource."""

    permission_classes = [AllowAny]
    schema = DeletedFeedSchema()
    pagination_class = DeletedPagination
    serializer_class = DeletedRecordSerializer
    filter_backends = []
    #: model label (``networks.membership``) -> resource (``memberships``), given in the URLconf
    resources: dict[str, str] = {}

    def get_queryset(self):
        fields = ("model", "key", "deleted_at", "replaced_by")
        return Tombstone.objects.filter(model__in=list(self.resources)).only(*fields)

    def filtered(self, queryset):
        params = self.request.query_params
        if "since" in params:
            try:
                since = UTCDateTimeField().clean(params["since"])
            except forms.ValidationError as error:
                raise ValidationError({"since": error.messages}, code="invalid") from None
            if since is not None:
                queryset = queryset.filter(deleted_at__gte=since)
        if "resource" in params:
            models = [model for model, resource in self.resources.items() if resource == params["resource"]]
            if not models:
                message = _("Choose one of: %(codes)s.") % {"codes": ", ".join(sorted(self.resources.values()))}
                raise ValidationError({"resource": [message]}, code="invalid")
            queryset = queryset.filter(model__in=models)
        return queryset

    def get(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filtered(self.get_queryset()))
        rows = [
            {
                "resource": self.resources[row.model],
                "key": row.key,
                "deleted_at": row.deleted_at,
                "replaced_by": row.replaced_by or None,
            }
            for row in page
        ]
        return self.get_paginated_response(DeletedRecordSerializer(rows, many=True).data)


def resources_of(registry) -> dict[str, str]:
    """model label -> resource, from a router's registry ((prefix, viewset, basename), …)."""
    return {viewset.serializer_class.Meta.model._meta.label_lower: prefix for prefix, viewset, _name in registry}
