"""Who counts as staff with a role: one place decides.

The roles are the groups Administratorer, Saksbehandlere and Lesere (created after every
migrate, `consultation.apps.ROLES`); each grants `consultation.view_submission`, and a
superuser has every permission. Logging in alone gives no role.
"""

from __future__ import annotations

ROLE_PERMISSION = "consultation.view_submission"


def has_role(user) -> bool:
    """True for an active user in one of the role groups (or a superuser)."""
    return bool(user and user.is_active and user.has_perm(ROLE_PERMISSION))
