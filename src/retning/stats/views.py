"""The data page, raw-response downloads and the read-only observations API."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from retning.business.models import RegisterUnit
from retning.core.roles import has_role
from retning.core.tasks import is_waiting, refresh_statistics
from retning.goals.service import goal_report
from retning.stats.catalogue import EXPECTED_SERIES
from retning.stats.coverage import dataset_summaries, missing_series, series_table
from retning.stats.models import Fetch
from retning.stats.sources import miljodir, nav
from retning.stats.store import raw_dir
from retning.strategy.models import Municipality
from retning.strategy.selectors import current_strategy, region_members


def data_page(request):
    strategy = current_strategy()
    municipalities = Municipality.objects.filter(region=strategy.region).prefetch_related("codes")
    pairs = [(m.current_code, m.name) for m in municipalities]
    context = {
        "strategy": strategy,
        "summaries": dataset_summaries(),
        "missing": missing_series(pairs),
        "tables": [
            table
            for table in (series_table(e, pairs) for e in EXPECTED_SERIES if e.show_table)
            if table.rows
        ],
        "show_failures": request.user.is_authenticated and request.user.is_staff,
        "sees_restricted": has_role(request.user),
    }
    return render(request, "stats/data.html", context)


def raw_download(request, fetch_id: int):
    """The raw bytes a fetch received, exactly as received; a licensed file
    (`raw_restricted`) only for staff with a role (404 for everyone else, as if absent)."""
    fetch = get_object_or_404(Fetch, pk=fetch_id)
    if fetch.raw_restricted and not has_role(request.user):
        raise Http404("no raw response stored")
    if not fetch.raw_path:
        raise Http404("no raw response stored")
    path = raw_dir() / fetch.raw_path
    if not path.is_file():
        raise Http404("raw response not in this data directory")
    name = Path(fetch.raw_name).name or f"fetch-{fetch.pk}.bin"
    return FileResponse(path.open("rb"), as_attachment=True, filename=name)


REFRESH_PERMISSION = "stats.refresh_statistics"


@login_required
def staff_data(request):
    """What the secretariat does to fill the gaps: each goal's missing figures with the
    command or admin page that fills them, the missing series, and where the files that
    have no API are downloaded. Instructions live here, not on the public pages."""

    if request.method == "POST":
        return _queue_refresh(request)
    strategy = current_strategy()
    members = region_members(strategy.region)
    pairs = [(m.current_code, m.name) for m, _member in members]
    goals = strategy.goals.select_related("target", "strategy__region")
    context = {
        "strategy": strategy,
        "goal_gaps": [(goal, goal_report(goal, members).gaps) for goal in goals],
        "missing": missing_series(pairs),
        "failures": [s for s in dataset_summaries() if s.last_failure],
        "nav": {
            "page": nav.DOWNLOAD_PAGE,
            "table": nav.TABLE_TITLE,
            "configured": bool(settings.RETNING_NAV_URL),
        },
        "norskeutslipp": {
            "page": miljodir.NORSKEUTSLIPP_PAGE,
            "configured": bool(settings.RETNING_NORSKEUTSLIPP_URL),
        },
        "register_imported": RegisterUnit.objects.exists(),
        "data_url": reverse("stats-data"),
        "can_refresh": request.user.has_perm(REFRESH_PERMISSION),
    }
    return render(request, "stats/staff_data.html", context)


def _queue_refresh(request):
    """Queue `retning refresh` of every source for the background worker: the button for
    administrators on /stab/statistikk/ (once while one is queued or running)."""
    if not request.user.has_perm(REFRESH_PERMISSION):
        raise PermissionDenied
    if is_waiting(refresh_statistics):
        messages.info(request, _("Statistikken hentes allerede, eller står i kø."))
    else:
        refresh_statistics.enqueue()
        messages.success(
            request,
            _(
                "Hentingen av ny statistikk er satt i kø og kjøres av bakgrunnsjobben; "
                "resultatet vises her og på siden Statistikk og kilder når den er ferdig."
            ),
        )
    return redirect("staff-data")
