"""Public pages served from a cache per data version, for visitors who are not logged in.

The front page and the goal pages compute every goal's report from the statistics store on
each request (tens of queries and the evaluation engine); the result changes only when the
data does. So an anonymous GET is answered from the cache under a key made of the page's
address, host and language, today's date, and the *data version*: one query reading the
highest id of the tables every change to what these pages show adds a row to. Statistics
(each refresh, import and register or accounts import records a `Fetch`), municipality code
changes, plant closures, and every change to the strategy and rounds, by staff or by the
strategy file (each writes a `ChangeRecord`). A new row gives a new key, so a page is never
shown from before a change once that change is committed; entries also expire after
`RETNING_PAGE_CACHE_SECONDS` (default 300; 0 turns the cache off) in case something is
changed another way.

Only what every visitor would get is kept: no logged-in user's page (staff may see more),
no response that sets a cookie, uses a CSRF token or a CSP nonce (both differ per visitor),
and no address with a query string.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.utils import timezone
from django.utils.translation import get_language

# Models whose highest id changes whenever something the public pages show changes.
VERSION_MODELS = ("stats.Fetch", "stats.CodeChange", "core.ChangeRecord", "goals.FacilityClosure")


def data_version() -> str:
    """The highest id of each model in VERSION_MODELS, read in one query."""
    quote = connection.ops.quote_name
    selects = []
    for label in VERSION_MODELS:
        meta = apps.get_model(label)._meta
        selects.append(f"(SELECT MAX({quote(meta.pk.column)}) FROM {quote(meta.db_table)})")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(selects)}")
        row = cursor.fetchone()
    return "-".join("0" if value is None else str(value) for value in row)


def _key(request: HttpRequest) -> str:
    parts = (
        request.get_host(),
        request.path,
        get_language() or "",
        today().isoformat(),
        data_version(),
    )
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"retning:page:{digest}"


def _cacheable_request(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and not request.GET
        and not request.user.is_authenticated
        and getattr(settings, "RETNING_PAGE_CACHE_SECONDS", 0) > 0
    )


def _cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not get_nonce(request)
        and not response.has_header("Cache-Control")
    )


def public_page_cache(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve `view` to anonymous visitors from the cache for the current data version."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        cached = cache.get(key)
        if cached is not None:
            content, content_type = cached
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if _cacheable_response(request, response):
            cache.set(
                key,
                (response.content, response["Content-Type"]),
                settings.RETNING_PAGE_CACHE_SECONDS,
            )
        return response

    return wrapper


def today() -> dt.date:
    """Today in the site's time zone (part of the key: pages may say how old a figure is)."""
    return timezone.localdate(timezone.now())
