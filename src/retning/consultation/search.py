"""Full-text search over proposals: PostgreSQL's Norwegian configuration, SQLite FTS5."""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

_WORD = re.compile(r"\w+", re.UNICODE)


def search_submissions(queryset: QuerySet, query: str) -> QuerySet:
    """Proposals whose text, subject, name or organisation match every word of `query`."""
    words = _WORD.findall(query)
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        vector = SearchVector(
            "text", "redacted_text", "subject", "name", "organisation", config="norwegian"
        )
        return queryset.annotate(_search=vector).filter(
            _search=SearchQuery(" ".join(words), config="norwegian", search_type="plain")
        )
    if connection.vendor == "sqlite":
        # Each word quoted (no FTS syntax from users); a trailing * matches inflections.
        match = " ".join(f'"{w}"*' for w in words)
        return queryset.filter(
            pk__in=RawSQL(
                "SELECT rowid FROM consultation_submission_fts "
                "WHERE consultation_submission_fts MATCH %s",
                [match],
            )
        )
    for word in words:  # other databases: a plain substring search
        queryset = queryset.filter(text__icontains=word)
    return queryset
