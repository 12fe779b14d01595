"""Storing a round's analysis against computing it alone.

Baseline: `analysis.pipeline.analyse_round()` on N synthetic proposals (pure, in memory).
Measured: `consultation_analysis.service.analyse()` on the same N proposals stored in a
fresh SQLite database (read texts, analyse, store suggestions, groups, themes), run twice
(the second run replaces the first). Also the number of SQL queries the staff overview
page makes, which must not grow with N. Prints seconds and ratios.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path

N = int(os.environ.get("BENCH_N", "2000"))


def main() -> None:
    os.environ["RETNING_DATA_DIR"] = tempfile.mkdtemp(prefix="retning-bench-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "retning.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.analysis.synthetic
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    from retning.analysis.campaigns import Document
    from retning.analysis.pipeline import analyse_round
    from retning.consultation.models import (
        Channel,
        ConsultationRound,
        ReceivedItem,
        Submission,
    )
    from retning.consultation_analysis import service
    from retning.strategy.loader import load_strategy_file
    from tests.analysis.synthetic import synthetic_corpus

    load_strategy_file(settings.RETNING_STRATEGY_FILE)
    round = ConsultationRound.objects.get(slug="2024")
    settings.ALLOWED_HOSTS = ["*"]
    user = User.objects.create_user("bench")
    user.groups.add(Group.objects.get(name="Saksbehandlere"))
    client = Client()
    client.force_login(user)

    def overview_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            client.get(f"/stab/analyse/{round.slug}/")
        return len(ctx.captured_queries)

    def add(corpus, start: int) -> None:
        at = dt.datetime(2024, 6, 14, 10, tzinfo=dt.UTC)
        for i, text in enumerate(corpus.texts[start:], start + 1):
            raw = f"synthetic {i}\n{text}".encode()
            item = ReceivedItem.objects.create(
                round=round,
                channel=Channel.EMAIL,
                raw=raw,
                size=len(raw),
                sha256=hashlib.sha256(raw).hexdigest(),
                received_at=at,
                status=ReceivedItem.Status.REGISTERED,
            )
            Submission.objects.create(
                round=round,
                item=item,
                number=i,
                reference=f"H-2024-{i:04d}",
                channel=Channel.EMAIL,
                reached_us_at=at,
                on_time=True,
                text=text,
            )

    corpus = synthetic_corpus(N, n_campaigns=max(1, N // 200))
    small = N // 10
    # The small round first, for the query count at N/10.
    corpus_small = type(corpus)(
        corpus.refs[:small], corpus.texts[:small], corpus.topics[:small], {}
    )
    add(corpus_small, 0)
    service.analyse(round)
    queries_small = overview_queries()
    add(corpus, small)
    tagger = service.tagger_for(round)
    documents = [Document(r, t) for r, t in zip(corpus.refs, corpus.texts, strict=True)]
    start = time.perf_counter()
    analyse_round(documents, tagger)
    pure = time.perf_counter() - start
    start = time.perf_counter()
    service.analyse(round)
    first = time.perf_counter() - start
    start = time.perf_counter()
    service.analyse(round)
    again = time.perf_counter() - start
    queries_large = overview_queries()
    print(f"{N} synthetic proposals")
    print(f"analyse_round() alone:        {pure:7.2f} s")
    print(f"analyse() with storage:       {first:7.2f} s  ({first / pure:.2f}× the baseline)")
    print(f"analyse() again (replaces):   {again:7.2f} s  ({again / pure:.2f}× the baseline)")
    print(
        f"overview page SQL queries:    {queries_small} at {small} proposals, "
        f"{queries_large} at {N}"
    )


if __name__ == "__main__":
    main()
