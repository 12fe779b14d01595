"""Batch classification of JSON Lines: `{"id": …, "text": …}` in, labels and scores out.

The pure part of `retning classify`: reading and checking the input (every problem with
its line number), and producing one answer per input line, in input order.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from retning.analysis.tagging import Tagger
from retning.analysis.trained import Example

BATCH_SIZE = 2000


@dataclass(frozen=True)
class InputProblem:
    line: int
    message: str

    def format(self, filename: str) -> str:
        return f"{filename}:{self.line}: {self.message}"


class InputError(Exception):
    """Input that cannot be classified, with every problem found and its line."""

    def __init__(self, filename: str, problems: list[InputProblem]):
        self.filename = filename
        self.problems = problems
        super().__init__("\n".join(p.format(filename) for p in problems))


def _objects(lines: Iterable[str]) -> tuple[list[tuple[int, dict[str, Any]]], list[InputProblem]]:
    """JSON objects of the non-blank lines with their line numbers, and the bad lines."""
    problems: list[InputProblem] = []
    rows = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(InputProblem(number, f"not valid JSON: {exc.msg} (column {exc.colno})"))
            continue
        if not isinstance(value, dict):
            problems.append(InputProblem(number, "expected a JSON object"))
            continue
        rows.append((number, value))
    return rows, problems


def read_requests(lines: Iterable[str], filename: str = "<input>") -> list[tuple[Any, str]]:
    """(id, text) of each non-blank line; raises InputError naming every bad line."""
    rows, problems = _objects(lines)
    requests = []
    for number, value in rows:
        missing = [key for key in ("id", "text") if key not in value]
        if missing:
            problems.append(InputProblem(number, f"missing {' and '.join(missing)}"))
        elif not isinstance(value["text"], str):
            problems.append(InputProblem(number, "text must be a string"))
        elif not isinstance(value["id"], str | int) or isinstance(value["id"], bool):
            problems.append(InputProblem(number, "id must be a string or an integer"))
        else:
            requests.append((value["id"], value["text"]))
    if problems:
        raise InputError(filename, sorted(problems, key=lambda p: p.line))
    return requests


def read_examples(
    lines: Iterable[str], known: set[str], filename: str = "<examples>"
) -> list[Example]:
    """Confirmed examples `{"text": …, "labels": [...]}`, every label checked against `known`."""
    rows, problems = _objects(lines)
    examples = []
    for number, value in rows:
        text, labels = value.get("text"), value.get("labels")
        if not isinstance(text, str) or not isinstance(labels, list):
            problems.append(InputProblem(number, 'expected {"text": "…", "labels": [ids]}'))
            continue
        unknown = sorted(str(label) for label in labels if label not in known)
        if unknown:
            problems.append(InputProblem(number, f"unknown category {', '.join(unknown)}"))
            continue
        examples.append(Example(text, frozenset(labels)))
    if problems:
        raise InputError(filename, sorted(problems, key=lambda p: p.line))
    return examples


def classify(tagger: Tagger, requests: list[tuple[Any, str]]) -> Iterator[dict[str, Any]]:
    """One answer per request, in order: id, suggested labels, and the score of every
    category. An empty list of labels is a valid answer for an off-topic text."""
    for start in range(0, len(requests), BATCH_SIZE):
        chunk = requests[start : start + BATCH_SIZE]
        for (request_id, _), suggestion in zip(
            chunk, tagger.suggest_many([text for _, text in chunk]), strict=True
        ):
            yield {
                "id": request_id,
                "labels": list(suggestion.labels),
                "scores": suggestion.scores,
            }
