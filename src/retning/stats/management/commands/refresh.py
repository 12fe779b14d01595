"""`retning refresh [--source ssb|klass|miljodir|nav] [--dry-run] [--check]`: fetch every
series anew.

Prints a progress bar per source and a summary table; exits 0 only when every requested
source succeeded. Schedule it with cron or a systemd timer (docs/data.md); Retning has no
scheduler of its own. `--check` fetches no data: it asks each SSB table for its metadata
once and says, per table, OK or exactly which variable or code does not match.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn
from rich.table import Table

from retning.stats.config import client_from_settings
from retning.stats.refresh import (
    SOURCES,
    Outcome,
    RefreshReport,
    check_ssb,
    jobs_for,
    run_job,
)
from retning.stats.sources.ssb import TableCheck


class Command(BaseCommand):
    help = "Fetch the official statistics anew; keep the last good data when a source fails."

    def add_arguments(self, parser):
        parser.add_argument(
            "--source", action="append", choices=SOURCES, help="only this source (repeatable)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="fetch and compare, but store nothing"
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="fetch no data: check every SSB table's metadata against the codes Retning "
            "asks for (one request per table); exit 1 on any mismatch",
        )

    def handle(self, *args, source=None, dry_run=False, check=False, **options):
        console = Console(file=self.stdout, highlight=False)
        if check:
            return self.check(console, source)
        report = RefreshReport()
        client = client_from_settings()
        try:
            with Progress(
                TextColumn("{task.description:<10}"),
                BarColumn(),
                TextColumn("{task.completed}/{task.total}"),
                console=console,
                transient=not console.is_terminal,
            ) as progress:
                for name in source or SOURCES:
                    jobs = jobs_for(name)
                    task = progress.add_task(name, total=len(jobs) or 1)
                    if not jobs:
                        report.outcomes.append(
                            Outcome(name, "-", False, message=f"{name}: no address configured")
                        )
                    for job in jobs:
                        if not job.configured and not source:
                            # Not asked for by name: an unset address is a skip, not a failure.
                            report.outcomes.append(
                                Outcome(
                                    name,
                                    job.series,
                                    True,
                                    message=f"no address: set {job.setting}",
                                    skipped=True,
                                )
                            )
                        else:
                            report.outcomes.append(run_job(job, client, dry_run=dry_run))
                        progress.advance(task)
                    if not jobs:
                        progress.advance(task)
        finally:
            client.close()
        console.print(summary_table(report, dry_run))
        console.print(
            f"HTTP: {client.stats.requests} requests, {client.stats.bytes} bytes, "
            f"{client.stats.retries} retries"
        )
        for outcome in report.outcomes:
            if not outcome.ok:
                self.stderr.write(f"FAILED {outcome.source} {outcome.series}: {outcome.message}")
        if not report.ok:
            self.stderr.write("refresh incomplete: the last good data is kept for failed series")
            raise SystemExit(1)

    def check(self, console: Console, source: list[str] | None) -> None:
        if source and "ssb" not in source:
            self.stderr.write(
                "--check compares the SSB tables' metadata; the other sources have none "
                "(use it without --source, or with --source ssb)"
            )
            raise SystemExit(2)
        client = client_from_settings()
        try:
            results = check_ssb(client)
        finally:
            client.close()
        console.print(check_table(results))
        console.print(f"HTTP: {client.stats.requests} requests, {client.stats.bytes} bytes")
        failed = [r for r in results if not r.ok]
        for result in failed:
            for problem in result.problems:
                self.stderr.write(f"MISMATCH {result.table}: {problem}")
        if failed:
            self.stderr.write(
                f"{len(failed)} of {len(results)} SSB tables do not match what Retning asks "
                "for; a refresh would fail for them"
            )
            raise SystemExit(1)


def check_table(results: list[TableCheck]) -> Table:
    table = Table(title="SSB tables against their metadata (no data fetched)")
    for column in ("table", "series", "result", "details"):
        table.add_column(column, overflow="fold")
    for r in results:
        details = [*r.problems, *r.notes]
        if r.skipped_regions:
            details.append(f"region codes not in the table: {', '.join(r.skipped_regions)}")
        table.add_row(
            r.table, ", ".join(r.groups), "OK" if r.ok else "MISMATCH", "\n".join(details)
        )
    return table


def summary_table(report: RefreshReport, dry_run: bool) -> Table:
    title = "Refresh (dry run: nothing stored)" if dry_run else "Refresh"
    table = Table(title=title)
    for column in ("source", "series", "new", "changed", "unchanged", "result"):
        table.add_column(
            column, justify="right" if column in {"new", "changed", "unchanged"} else "left"
        )
    for o in report.outcomes:
        table.add_row(
            o.source,
            o.series,
            str(o.created),
            str(o.changed),
            str(o.unchanged),
            ("skipped: " + o.message) if o.skipped else ("ok" if o.ok else "FAILED"),
        )
    return table
