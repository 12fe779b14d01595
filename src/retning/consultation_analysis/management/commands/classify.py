"""`retning classify FILE.jsonl`: tag texts with the strategy's categories, outside a round.

Reads `{"id": …, "text": …}` lines and writes `{"id", "labels", "scores"}` lines in the
same order, to standard output or `-o FILE`. Uses the region's strategy unless
`--strategy FILE` is given, and a model trained on `--examples FILE` if given.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from retning.analysis.batch import InputError, classify, read_examples, read_requests
from retning.analysis.labels import labels_from_spec, place_names
from retning.analysis.tagging import ACCEPT_THRESHOLD, REVIEW_THRESHOLD, Tagger
from retning.strategy.spec import SpecError, load_spec


class Command(BaseCommand):
    help = "Suggest main strategies and focus areas for the texts of a JSON Lines file."

    def add_arguments(self, parser):
        parser.add_argument("file", help='JSON Lines: {"id": …, "text": …} per line ("-": stdin)')
        parser.add_argument("-o", "--output", help="write here instead of standard output")
        parser.add_argument(
            "--strategy",
            default=str(settings.RETNING_STRATEGY_FILE),
            help="strategy file (default: the bundled file of RETNING_REGION)",
        )
        parser.add_argument(
            "--examples",
            help='confirmed examples to train on, JSON Lines {"text": …, "labels": [ids]}',
        )
        parser.add_argument(
            "--threshold",
            type=float,
            default=ACCEPT_THRESHOLD,
            help=f"lowest score that gives a label (default {ACCEPT_THRESHOLD})",
        )

    def handle(self, *args, file, output, strategy, examples, threshold, **options):
        try:
            spec = load_spec(strategy)
            labels = labels_from_spec(spec)
        except SpecError as exc:
            for problem in exc.problems:
                self.stderr.write(problem.format(exc.filename))
            raise CommandError(f"the strategy file {exc.filename} is not valid") from None
        try:
            confirmed = (
                read_examples(_lines(examples), {label.id for label in labels}, examples)
                if examples
                else []
            )
            requests = read_requests(_lines(file), file)
        except InputError as exc:
            for problem in exc.problems:
                self.stderr.write(problem.format(exc.filename))
            raise CommandError(f"{exc.filename}: {len(exc.problems)} bad line(s)") from None
        try:
            tagger = Tagger(
                labels,
                confirmed,
                accept=threshold,
                review=min(threshold, REVIEW_THRESHOLD),
                ignore=place_names(spec),
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        out = open(output, "w", encoding="utf-8") if output else self.stdout  # noqa: SIM115
        try:
            for answer in classify(tagger, requests):
                out.write(json.dumps(answer, ensure_ascii=False) + "\n")
        finally:
            if output:
                out.close()
        if output:
            self.stderr.write(f"{len(requests)} texts classified with {tagger.version} → {output}")


def _lines(name: str) -> list[str]:
    if name == "-":
        return sys.stdin.read().splitlines()
    try:
        return Path(name).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise CommandError(f"{name}: file not found") from None
    except UnicodeDecodeError as exc:
        raise CommandError(f"{name}: not UTF-8 ({exc.reason})") from None
