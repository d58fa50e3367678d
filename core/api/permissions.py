"""API write access: Django model permissions plus the per-network editing rule."""

from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissionsOrAnonReadOnly

from core import ownership as permissions


class NetworkScopedPermission(DjangoModelPermissionsOrAnonReadOnly):
    """Reading is public. Writing needs a token (or staff session), the model permission, and
    the right to edit the record under :mod:`core.ownership`: another network's record
    answers 403 (records are public, so refusing does not reveal anything)."""

    def has_permission(self, request, view):
        # A read needs no model permission (DRF's map asks none for GET, HEAD and OPTIONS), so
        # it is answered without building the view's queryset a second time to find its model.
        if request.method in SAFE_METHODS and not self.authenticated_users_only:
            return True
        return super().has_permission(request, view)

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        if request.method == "DELETE":
            return permissions.can_delete(request.user, obj)
        return permissions.can_edit(request.user, obj)
