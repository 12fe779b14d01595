"""Full-text search over proposals and their attachments' text: PostgreSQL's Norwegian
configuration, SQLite FTS5. A query that is a reference number finds that proposal."""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from retning.consultation.models import Attachment
from retning.consultation.references import reference_in

_WORD = re.compile(r"\w+", re.UNICODE)


def search_submissions(queryset: QuerySet, query: str) -> QuerySet:
    """Proposals whose text, subject, name, organisation or an attachment match every word,
    or the proposal whose reference number the query is (H-2024-0042, h-2024-42)."""
    reference = reference_in(query)
    if reference:
        return queryset.filter(reference=reference)
    words = _WORD.findall(query)
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        search = SearchQuery(" ".join(words), config="norwegian", search_type="plain")
        vector = SearchVector(
            "text", "redacted_text", "subject", "name", "organisation", config="norwegian"
        )
        in_attachments = (
            Attachment.objects.annotate(_search=SearchVector("text", config="norwegian"))
            .filter(_search=search)
            .values("submission_id")
        )
        return queryset.annotate(_search=vector).filter(
            Q(_search=search) | Q(pk__in=in_attachments)
        )
    if connection.vendor == "sqlite":
        # Each word quoted (no FTS syntax from users); a trailing * matches inflections.
        match = " ".join(f'"{w}"*' for w in words)
        own = RawSQL(
            "SELECT rowid FROM consultation_submission_fts "
            "WHERE consultation_submission_fts MATCH %s",
            [match],
        )
        attached = RawSQL(
            "SELECT a.submission_id FROM consultation_attachment a "
            "JOIN consultation_attachment_fts f ON f.rowid = a.id "
            "WHERE consultation_attachment_fts MATCH %s",
            [match],
        )
        return queryset.filter(Q(pk__in=own) | Q(pk__in=attached))
    condition = Q()
    for word in words:  # other databases: a plain substring search
        condition &= Q(text__icontains=word) | Q(attachments__text__icontains=word)
    return queryset.filter(condition).distinct()
