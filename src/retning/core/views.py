"""Staff start page and error pages."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from retning.core.models import ChangeRecord
from retning.core.roles import has_role


@login_required
def staff_home(request):
    """The secretariat's start page; the change log only for staff with a role."""
    show_changes = has_role(request.user)
    changes = ChangeRecord.objects.select_related("changed_by")[:50] if show_changes else []
    return render(request, "staff/home.html", {"changes": changes, "show_changes": show_changes})


FAVICON = Path(__file__).resolve().parents[1] / "static" / "retning" / "favicon.ico"


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request):
    """/favicon.ico, which browsers ask for whatever the page links to."""
    return HttpResponse(FAVICON.read_bytes(), content_type="image/vnd.microsoft.icon")
