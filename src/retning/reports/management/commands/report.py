"""`retning report status --format pdf|html -o FILE`: the annual status report."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Write a report: `status` (the annual status report of the main goals)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["status"])
        parser.add_argument("--format", choices=["pdf", "html"], default="pdf")
        parser.add_argument("-o", "--output", required=True, help="file to write")
        parser.add_argument("--language", choices=["nb", "en"], default="nb")

    def handle(self, *args, kind: str, format: str, output: str, language: str, **options):
        from retning.reports.status import status_report_html, status_report_pdf

        path = Path(output)
        if not path.parent.exists():
            raise CommandError(f"the folder {path.parent} does not exist")
        if format == "pdf":
            path.write_bytes(status_report_pdf(language))
        else:
            path.write_text(status_report_html(language), encoding="utf-8")
        self.stdout.write(f"wrote {path} ({path.stat().st_size:,} bytes)")
