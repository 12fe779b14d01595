"""The data page, raw-response downloads and the read-only observations API."""

from __future__ import annotations

from pathlib import Path

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from retning.core.roles import has_role
from retning.stats.catalogue import EXPECTED_SERIES
from retning.stats.coverage import dataset_summaries, missing_series, series_table
from retning.stats.models import Fetch
from retning.stats.store import raw_dir
from retning.strategy.models import Municipality
from retning.strategy.selectors import current_strategy


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
