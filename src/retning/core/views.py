"""Staff start page and error pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from retning.core.models import ChangeRecord


@login_required
def staff_home(request):
    changes = ChangeRecord.objects.select_related("changed_by")[:50]
    return render(request, "staff/home.html", {"changes": changes})
