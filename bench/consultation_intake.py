"""Intake throughput: storing and registering e-mails against parsing them alone.

Baseline: parse N synthetic messages with `mail.parse_message` (pure, no database).
Measured: `store_raw()` + `process_item()` for the same N messages into a fresh SQLite
database in a temporary data directory. Prints both times and the ratio.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

N = int(os.environ.get("BENCH_N", "500"))


def synthetic_messages(n: int) -> list[bytes]:
    out = []
    for i in range(n):
        msg = EmailMessage()
        msg["From"] = f"Person {i} <p{i}@example.org>"
        msg["Subject"] = "SV: Horingsinnspill naeringsstrategi"
        msg["Message-ID"] = f"<bench-{i}@example.org>"
        msg["Received"] = "from a by b; Fri, 14 Jun 2024 10:00:00 +0200"
        msg.set_content(f"Forslag {i}: flere arbeidsplasser i regionen. " * 20)
        out.append(msg.as_bytes())
    return out


def main() -> None:
    data_dir = tempfile.mkdtemp(prefix="retning-bench-")
    os.environ["RETNING_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "retning.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.conf import settings

    from retning.strategy.loader import load_strategy_file

    load_strategy_file(settings.RETNING_STRATEGY_FILE)
    from retning.consultation import intake, mail
    from retning.consultation.models import Channel, ConsultationRound

    messages = synthetic_messages(N)
    start = time.perf_counter()
    for raw in messages:
        mail.parse_message(raw)
    baseline = time.perf_counter() - start

    consultation = ConsultationRound.objects.get(slug="2024")
    start = time.perf_counter()
    for raw in messages:
        item, _ = intake.store_raw(consultation, Channel.EMAIL, raw)
        intake.process_item(item)
    measured = time.perf_counter() - start
    print(
        f"{N} messages: parse only {baseline:.3f} s; store + register {measured:.3f} s; "
        f"ratio {measured / baseline:.1f}x ({N / measured:.0f} messages/s)"
    )


if __name__ == "__main__":
    main()
