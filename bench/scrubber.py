"""The personal-data scrubber and the e-mail cleaner on long, adversarial proposals.

Baseline: each function on 15,000 characters of a text shape made to provoke backtracking
(long runs of capitalised words, of digit groups, of dotted initials, one endless word,
closings with nothing after them); measured: the same on 150,000 characters. A linear
function takes about 10× as long; the old scrubber's regular expressions took about 100×
(20,000 characters of "A.A.…" took 10 s). Then the CSV export of a round whose one proposal
has 150,000 characters, end to end through `retning submissions export` on SQLite; it must
take less than a second.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from pathlib import Path

SMALL, LARGE = 15_000, 150_000
SHAPES = {
    "capitalised words": "Anne Moen Storgata Kongens Gate ",
    "digit groups": "12 34 56 78 912 ",
    "dotted initials": "A.",
    "one long word": "a",
    "hyphenated name": "Anne.Moen-",
    "closings": "Hilsen ",
    "mixed": "Hilsen Anne Moen Storgata 12 34 56 78 a@b.c ",
}


def _text(unit: str, length: int) -> str:
    return (unit * (length // len(unit) + 1))[:length]


def _seconds(function, text: str) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        function(text)
        best = min(best, time.perf_counter() - start)
    return best


def scrubbing() -> None:
    from retning.analysis.cleaning import clean
    from retning.analysis.personaldata import scrub

    def scrub_named(text: str) -> str:
        return scrub(text, ["Anne Moen"])

    for label, function in (("scrub", scrub_named), ("clean", clean)):
        print(f"{label}(): best of 3, seconds")
        print(f"{'text shape':<20} {SMALL:>9,} {LARGE:>9,}  ratio")
        for shape, unit in SHAPES.items():
            small = _seconds(function, _text(unit, SMALL))
            large = _seconds(function, _text(unit, LARGE))
            print(f"{shape:<20} {small:>9.4f} {large:>9.4f}  {large / small:5.1f}")
        print()


def csv_export() -> None:
    os.environ["RETNING_DATA_DIR"] = tempfile.mkdtemp(prefix="retning-bench-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "retning.settings")
    import django

    django.setup()
    import datetime as dt
    import hashlib

    from django.conf import settings
    from django.core.management import call_command

    from retning.consultation.models import Channel, ConsultationRound, ReceivedItem, Submission
    from retning.strategy.loader import load_strategy_file

    call_command("migrate", verbosity=0)
    load_strategy_file(settings.RETNING_STRATEGY_FILE)
    round = ConsultationRound.objects.get(slug="2024")
    text = _text(SHAPES["mixed"], LARGE)
    raw = text.encode()
    at = dt.datetime(2024, 6, 14, 10, tzinfo=dt.UTC)
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
        number=1,
        channel=Channel.EMAIL,
        reached_us_at=at,
        on_time=True,
        text=text,
    )
    out = io.BytesIO()

    class Sink(io.StringIO):
        buffer = out

    start = time.perf_counter()
    call_command("submissions", "export", "--round", "2024", "--format", "csv", stdout=Sink())
    seconds = time.perf_counter() - start
    verdict = "under" if seconds < 1 else "NOT under"
    print(
        f"CSV export of a round with one {LARGE:,}-character proposal: {seconds:.3f} s "
        f"({verdict} 1 s; {len(out.getvalue()):,} bytes written)"
    )


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    scrubbing()
    csv_export()


if __name__ == "__main__":
    main()
