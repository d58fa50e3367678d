"""Network editors get the model permissions of Paradiplo's records without being given them one
by one: being an editor of a network is the one step. Which records they may touch is decided
per object by :mod:`core.ownership` in the admin and the API."""

from django.contrib.auth.backends import BaseBackend

from core.ownership import editable_network_ids, is_curator

EDITABLE_APPS = {"sources", "cities", "networks", "projects"}
ACTIONS = {"add", "change", "delete", "view"}


class NetworkEditorBackend(BaseBackend):
    def has_perm(self, user_obj, perm, obj=None):
        if not user_obj.is_active or "." not in perm:
            return False
        app_label, codename = perm.split(".", 1)
        action, _, model = codename.partition("_")
        if app_label not in EDITABLE_APPS or action not in ACTIONS:
            return False
        # Curators (the curator permission, README "Staff editing") edit everything across
        # networks, the editors of a network included, without each model permission given.
        if is_curator(user_obj):
            return True
        return model != "networkeditor" and bool(editable_network_ids(user_obj))

    def has_module_perms(self, user_obj, app_label):
        return (
            user_obj.is_active
            and app_label in EDITABLE_APPS
            and (bool(editable_network_ids(user_obj)) or is_curator(user_obj))
        )
