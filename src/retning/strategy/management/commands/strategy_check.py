"""`retning strategy-check FILE`: validate a strategy file without loading it."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from retning.strategy.spec import SpecError, load_spec


class Command(BaseCommand):
    help = "Validate a strategy file. Exit 0 when valid; exit 2 with FILE:LINE:COLUMN lines."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        try:
            spec = load_spec(file)
        except SpecError as exc:
            for problem in exc.problems:
                self.stderr.write(problem.format(exc.filename))
            raise CommandError(
                f"{len(exc.problems)} problem(s) in {exc.filename}", returncode=2
            ) from None
        period = spec.strategy.period
        self.stdout.write(
            f"{file}: valid — {spec.region.name} "
            f"({len(spec.region.municipalities)} municipalities), "
            f"strategy {period.start}–{period.end}: {len(spec.goals)} goals, "
            f"{len(spec.main_strategies)} main strategies, {len(spec.focus_areas)} focus areas, "
            f"{len(spec.measures)} measures, {len(spec.consultations)} consultation rounds"
        )
        sys.stdout.flush()
