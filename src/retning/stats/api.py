"""Read-only API: `/api/v1/observations.json` and `.csv`.

Filters: `municipality` (current or historical code, repeatable), `measure`, `dataset`;
paging with `limit` (default 5000, at most 50000) and `offset`. Current observations only.
"""

from __future__ import annotations

import io

from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from retning.core.spreadsheet import SafeDictWriter
from retning.stats.catalogue import licence_statement
from retning.stats.models import Observation
from retning.stats.queries import harmonise

FIELDS = [
    "municipality",
    "municipality_published",
    "measure",
    "dimensions",
    "period",
    "value",
    "missing_reason",
    "unit",
    "dataset",
    "source",
    "table",
    "fetch_id",
    "retrieved_at",
    "licence",
]


class BadRequestError(ValueError):
    pass


def _int(request, name: str, default: int, maximum: int) -> int:
    raw = request.GET.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) > maximum:
        raise BadRequestError(f"{name} must be a whole number from 0 to {maximum}")
    return int(raw)


def _rows(request) -> list[dict]:
    rows = Observation.objects.filter(current=True).select_related("dataset", "fetch")
    codes = request.GET.getlist("municipality")
    if codes:
        rows = rows.filter(code__in=harmonise(codes))
    if measure := request.GET.get("measure"):
        rows = rows.filter(measure=measure)
    if dataset := request.GET.get("dataset"):
        rows = rows.filter(dataset__slug=dataset)
    limit = _int(request, "limit", 5000, 50000)
    offset = _int(request, "offset", 0, 10**9)
    rows = rows.order_by("measure", "code", "dimension_key", "period", "id")[
        offset : offset + limit
    ]
    return [
        {
            "municipality": o.code,
            "municipality_published": o.code_published,
            "measure": o.measure,
            "dimensions": o.dimensions,
            "period": o.period,
            "value": None if o.value is None else float(o.value.normalize()),
            "missing_reason": o.missing_reason,
            "unit": o.unit,
            "dataset": o.dataset.slug,
            "source": o.fetch.source,
            "table": o.fetch.table,
            "fetch_id": o.fetch_id,
            "retrieved_at": o.fetch.retrieved_at.isoformat(),
            "licence": licence_statement(o.dataset.slug, o.fetch.licence),
        }
        for o in rows
    ]


@require_GET
def observations_json(request):
    try:
        rows = _rows(request)
    except BadRequestError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    return JsonResponse(
        {"count": len(rows), "licence_note": "see each dataset on /data/", "observations": rows},
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def observations_csv(request):
    try:
        rows = _rows(request)
    except BadRequestError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    buffer = io.StringIO()
    writer = SafeDictWriter(buffer, fieldnames=FIELDS)
    writer.writeheader()
    for row in rows:
        row = dict(row)
        row["dimensions"] = ";".join(f"{k}={v}" for k, v in sorted(row["dimensions"].items()))
        writer.writerow(row)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="observations.csv"'
    return response
