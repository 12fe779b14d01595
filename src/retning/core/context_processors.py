"""Values every page needs: the language switch links."""

from __future__ import annotations

from django.conf import settings
from django.urls import translate_url


def site(request):
    path = request.get_full_path()
    return {
        "language_links": [
            {"code": code, "name": name, "url": translate_url(path, code)}
            for code, name in settings.LANGUAGES
        ],
    }
