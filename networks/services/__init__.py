"""Writes of the networks app: editors granted and revoked (:mod:`.editors`) and the member-list
import (:mod:`.member_import`)."""

from .editors import grant_editor, revoke_editor

__all__ = ["grant_editor", "revoke_editor"]
