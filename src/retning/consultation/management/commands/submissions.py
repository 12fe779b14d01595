"""`retning submissions …`: export a round, one person's data (export/delete), retention."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from retning.consultation import export, personal
from retning.consultation.models import ConsultationRound
from retning.strategy.selectors import current_strategy


class Command(BaseCommand):
    help = "Export proposals, export or delete one person's data, apply retention."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        ex = sub.add_parser("export", help="a round's proposals as CSV, XLSX or JSON")
        ex.add_argument("--round", required=True)
        ex.add_argument("--format", choices=sorted(export.WRITERS), default="csv")
        ex.add_argument("--include-personal-data", action="store_true")
        ex.add_argument("--output", help="file to write (default: standard output)")
        ex.add_argument("--language", choices=["nb", "en"], default="nb", help="CSV/XLSX headings")
        pe = sub.add_parser("person-export", help="everything stored about one e-mail address")
        pe.add_argument("--email", required=True)
        pd = sub.add_parser("person-delete", help="erase one person's data on request")
        pd.add_argument("--email", required=True)
        pd.add_argument("--yes", action="store_true", help="really erase")
        sub.add_parser("retention", help="erase personal data past each round's retention")

    def handle(self, *args, action: str, **options):
        if action == "export":
            try:
                consultation = ConsultationRound.objects.get(
                    strategy=current_strategy(), slug=options["round"]
                )
            except ConsultationRound.DoesNotExist:
                raise CommandError(
                    f"no consultation round with slug {options['round']!r}"
                ) from None
            with translation.override(options["language"]):
                data = export.export(
                    consultation,
                    options["format"],
                    include_personal_data=options["include_personal_data"],
                )
            self._write(data, options.get("output"))
        elif action == "person-export":
            document = personal.export_person(options["email"])
            self._write(json.dumps(document, ensure_ascii=False, indent=2).encode(), None)
        elif action == "person-delete":
            if not options["yes"]:
                raise CommandError("add --yes to erase the data (this cannot be undone)")
            self.stdout.write(str(personal.delete_person(options["email"])))
        elif action == "retention":
            self.stdout.write(str(personal.apply_retention()))

    def _write(self, data: bytes, output: str | None) -> None:
        if output:
            Path(output).write_bytes(data)
            self.stdout.write(f"wrote {len(data)} bytes to {output}")
        else:
            self.stdout.flush()
            out = getattr(self.stdout, "_out", sys.stdout)
            if hasattr(out, "buffer"):
                out.buffer.write(data)
                out.flush()
            else:
                out.write(data.decode("utf-8", "replace"))
