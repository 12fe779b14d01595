"""`retning report status --format pdf|html -o FILE`: the annual status report.

`retning report consultation --round SLUG --format docx|pdf|html -o FILE`: the
høringsoppsummering of a consultation round, from its stored, staff-decided analysis.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Write a report: `status` (the annual status report of the main goals) or "
        "`consultation` (the høringsoppsummering of a round, with --round)."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["status", "consultation"])
        parser.add_argument("--format", choices=["pdf", "html", "docx"], default="pdf")
        parser.add_argument("-o", "--output", required=True, help="file to write")
        parser.add_argument("--language", choices=["nb", "en"], default="nb")
        parser.add_argument("--round", help="the consultation round's id (for `consultation`)")

    def handle(self, *args, kind: str, format: str, output: str, language: str, **options):
        path = Path(output)
        if not path.parent.exists():
            raise CommandError(f"the folder {path.parent} does not exist")
        if kind == "consultation":
            path.write_bytes(self._consultation(options.get("round"), format, language))
        else:
            from retning.reports.status import status_report_html, status_report_pdf

            if format == "docx":
                raise CommandError("the status report is written as pdf or html")
            if format == "pdf":
                path.write_bytes(status_report_pdf(language))
            else:
                path.write_text(status_report_html(language), encoding="utf-8")
        self.stdout.write(f"wrote {path} ({path.stat().st_size:,} bytes)")

    def _consultation(self, slug: str | None, fmt: str, language: str = "nb") -> bytes:
        from retning.consultation.models import ConsultationRound
        from retning.consultation_analysis.report_data import consultation_report
        from retning.reports.consultation import render
        from retning.strategy.selectors import current_strategy

        if not slug:
            raise CommandError("the consultation report needs --round SLUG")
        strategy = current_strategy()
        found = ConsultationRound.objects.filter(strategy=strategy, slug=slug).first()
        if found is None:
            known = ", ".join(strategy.consultation_rounds.values_list("slug", flat=True))
            raise CommandError(f"no consultation round {slug!r} (known: {known or 'none'})")
        return render(consultation_report(found, language), fmt, language)
