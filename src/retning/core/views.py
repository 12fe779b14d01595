"""Staff start page and error pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from retning.core.models import ChangeRecord
from retning.core.roles import has_role


@login_required
def staff_home(request):
    """The secretariat's start page; the change log only for staff with a role."""
    show_changes = has_role(request.user)
    changes = ChangeRecord.objects.select_related("changed_by")[:50] if show_changes else []
    return render(request, "staff/home.html", {"changes": changes, "show_changes": show_changes})
