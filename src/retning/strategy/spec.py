"""The strategy file format (`strategy.yaml`) and its validation.

Pure Python (no Django). `load_spec()` is the one loader for strategy files: it parses the
YAML keeping every node's position, validates with pydantic, then checks the rules that
span several fields, and reports each problem as FILE:LINE:COLUMN so that a person editing
the file can go straight to it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

SCHEMA_VERSION = 1

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)]
MunicipalityCode = Annotated[str, StringConstraints(pattern=r"^\d{4}$")]
Year = Annotated[int, Field(ge=1900, le=2100)]
# Industry codes: a section letter, or a division "16", group "16.1", class "16.10" or
# subclass "16.101". SN2007 (NACE Rev. 2) has sections A–U; SN2025 (NACE Rev. 2.1, used by
# SSB's new tables from 2026) has A–V, and the same letter or number can mean another
# industry in the two, so every mapping says which standard its codes are from.
NACE_PATTERN = re.compile(r"^(?:[A-V]|\d{2}(?:\.\d{1,3})?)$")
NACE_SECTIONS = {"SN2007": "ABCDEFGHIJKLMNOPQRSTU", "SN2025": "ABCDEFGHIJKLMNOPQRSTUV"}


def _check_nace(code: str) -> str:
    if not NACE_PATTERN.match(code):
        raise ValueError(
            f"{code!r} is not an SN2007 or SN2025 (NACE) code: use a section letter (A–U in "
            "SN2007, A–V in SN2025) or a code such as 16, 16.1, 16.10 or 16.101"
        )
    return code


NaceCode = Annotated[str, AfterValidator(_check_nace)]


class _Strict(BaseModel):
    """Unknown keys are errors, and types are not coerced ("2016" is not a year)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Text(_Strict):
    """A text in bokmål, optionally with its English translation."""

    nb: Annotated[str, StringConstraints(min_length=1)]
    en: str | None = None

    def get(self, language: str) -> str:
        return self.en if language.startswith("en") and self.en else self.nb


def _text_from_plain_string(value: Any) -> Any:
    return {"nb": value} if isinstance(value, str) else value


LocalText = Annotated[Text, BeforeValidator(_text_from_plain_string)]


# --- region ------------------------------------------------------------------------------
class CodePeriod(_Strict):
    code: MunicipalityCode
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> CodePeriod:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        return self


class Municipality(_Strict):
    id: Slug
    name: str
    codes: Annotated[list[CodePeriod], Field(min_length=1)]


class Region(_Strict):
    id: Slug
    name: str
    timezone: str = "Europe/Oslo"
    municipalities: Annotated[list[Municipality], Field(min_length=1)]


# --- strategy ----------------------------------------------------------------------------
class Decision(_Strict):
    year: Year
    decided_by: str | None = None
    description: LocalText | None = None


class Period(_Strict):
    start: Year
    end: Year


class Source(_Strict):
    title: str
    url: str | None = None


class StrategyInfo(_Strict):
    title: LocalText
    period: Period
    adopted: Decision
    revisions: list[Decision] = []
    summary: LocalText | None = None
    sources: list[Source] = []


# --- goals and targets -------------------------------------------------------------------
class Indicator(_Strict):
    ref: Slug
    name: LocalText
    unit: str
    sources: list[str] = []
    description: LocalText | None = None


class AnnualChangeTarget(_Strict):
    """A fixed change per year, e.g. +100 jobs per year from the baseline year."""

    kind: Literal["annual_change"]
    baseline_year: Year
    end_year: Year
    per_year: float


class ChangeRange(_Strict):
    low: float
    high: float


class RelativeChangeTarget(_Strict):
    """A change in per cent from the baseline year to the end year: one value or a range."""

    kind: Literal["relative_change"]
    baseline_year: Year
    end_year: Year
    change_pct: float | ChangeRange
    real_terms: bool = False


class DirectionTarget(_Strict):
    """Only a direction: the indicator should rise (or fall) from the baseline year."""

    kind: Literal["direction"]
    baseline_year: Year
    direction: Literal["increase", "decrease"]
    end_year: Year | None = None


Target = Annotated[
    AnnualChangeTarget | RelativeChangeTarget | DirectionTarget, Field(discriminator="kind")
]


class StatusThresholds(_Strict):
    """When a goal is on track, at risk or off track (see retning.goals.engine)."""

    # projected change ÷ target change at or above this (and below 1) → at risk
    at_risk_ratio: Annotated[float, Field(gt=0, lt=1)] = 0.75
    # fewer observations than this since the baseline → insufficient data
    min_observations: Annotated[int, Field(ge=2)] = 3
    # the projection uses the trend of the last N observations
    trend_years: Annotated[int, Field(ge=2)] = 5
    # direction goals: a trend smaller than this (% of the level per year) counts as flat
    flat_pct_per_year: Annotated[float, Field(gt=0)] = 0.25


class Goal(_Strict):
    id: Slug
    title: LocalText
    description: LocalText
    indicator: Indicator
    target: Target
    status: StatusThresholds = StatusThresholds()


# --- strategies, focus areas, measures ---------------------------------------------------
class MainStrategy(_Strict):
    id: Slug
    number: Annotated[int, Field(ge=1)]
    title: LocalText
    description: LocalText
    keywords: list[str] = []


class NaceMapping(_Strict):
    codes: Annotated[list[NaceCode], Field(min_length=1)]
    why: LocalText
    # Which industry standard the codes are from; files written before SN2025 mean SN2007.
    classification: Literal["SN2007", "SN2025"] = "SN2007"


class FocusArea(_Strict):
    id: Slug
    title: LocalText
    description: LocalText
    keywords: list[str] = []
    nace: Annotated[list[NaceMapping], Field(min_length=1)]


class Measure(_Strict):
    id: Slug
    title: LocalText
    description: LocalText | None = None
    owner: str
    strategies: list[Slug] = []
    focus_areas: list[Slug] = []
    status: Literal["planned", "ongoing", "completed", "stopped"] = "planned"


# --- consultations -----------------------------------------------------------------------
class EmailChannel(_Strict):
    address: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    subject: str
    contact_name: str | None = None


class Channels(_Strict):
    email: EmailChannel | None = None
    web_form: bool = False


class ConsultationRound(_Strict):
    slug: Slug
    title: LocalText
    description: LocalText | None = None
    opens: dt.date | None = None
    # A date means "until the end of that day" in the region's time zone.
    deadline: dt.datetime | dt.date
    channels: Channels
    document_url: str | None = None


# --- the whole file ----------------------------------------------------------------------
class StrategySpec(_Strict):
    schema_version: Literal[1]
    region: Region
    strategy: StrategyInfo
    goals: Annotated[list[Goal], Field(min_length=1)]
    main_strategies: Annotated[list[MainStrategy], Field(min_length=1)]
    focus_areas: list[FocusArea] = []
    measures: list[Measure] = []
    consultations: list[ConsultationRound] = []


# --- positions and problems --------------------------------------------------------------
Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    line: int  # 1-based
    column: int  # 1-based
    message: str

    def format(self, filename: str) -> str:
        return f"{filename}:{self.line}:{self.column}: {self.message}"


class SpecError(Exception):
    """A strategy file that cannot be used, with every problem found and where it is."""

    def __init__(self, filename: str, problems: Sequence[Problem]):
        self.filename = filename
        self.problems = sorted(problems, key=lambda p: (p.line, p.column, p.message))
        super().__init__("\n".join(p.format(filename) for p in self.problems))


class _Positions:
    """Positions of YAML nodes by their path in the document (keys and values)."""

    def __init__(self, root: yaml.Node | None):
        self.root = root

    def locate(self, path: Iterable[str | int]) -> tuple[int, int]:
        """Line and column (1-based) of the deepest node on `path` that exists.

        Path elements that are not in the document (pydantic's union tags, a missing key)
        are skipped, so a problem is reported at the closest place that is in the file.
        """
        node = self.root
        if node is None:
            return 1, 1
        mark = node.start_mark
        for part in path:
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if key_node.value == part:
                        if value_node is None:
                            mark = key_node.start_mark
                        else:
                            mark = value_node.start_mark
                            # an empty value has no useful position of its own
                            if value_node.tag.endswith(":null") and value_node.value == "":
                                mark = key_node.start_mark
                        node = value_node
                        break
            elif (
                isinstance(node, yaml.SequenceNode)
                and isinstance(part, int)
                and 0 <= part < len(node.value)
            ):
                node = node.value[part]
                mark = node.start_mark
        return mark.line + 1, mark.column + 1

    def locate_key(self, path: Path_) -> tuple[int, int]:
        """Position of the key itself (for unknown or duplicate keys)."""
        parent = self.root
        for part in path[:-1]:
            if isinstance(parent, yaml.MappingNode):
                parent = next((v for k, v in parent.value if k.value == part), parent)
            elif isinstance(parent, yaml.SequenceNode) and isinstance(part, int):
                parent = parent.value[part] if 0 <= part < len(parent.value) else parent
        if isinstance(parent, yaml.MappingNode):
            for key_node, _ in parent.value:
                if key_node.value == path[-1]:
                    return key_node.start_mark.line + 1, key_node.start_mark.column + 1
        return self.locate(path)


def _duplicate_keys(node: yaml.Node | None, path: Path_ = ()) -> list[tuple[Path_, yaml.Node]]:
    """YAML allows a key twice and keeps the last; in a strategy file that is a mistake."""
    found: list[tuple[Path_, yaml.Node]] = []
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if key_node.value in seen:
                found.append(((*path, key_node.value), key_node))
            seen.add(key_node.value)
            found.extend(_duplicate_keys(value_node, (*path, key_node.value)))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            found.extend(_duplicate_keys(item, (*path, index)))
    return found


_UNION_MEMBER_TAGS = {"float", "int", "date", "datetime", "ChangeRange"}
_TARGET_KINDS = {"annual_change", "relative_change", "direction"}
_UNION_HINTS = {
    "change_pct": "a number (e.g. -55) or a range (e.g. {low: 70, high: 100})",
    "deadline": "a date (e.g. 2024-06-15) or a date and time with a UTC offset",
}


def _is_union_tag(part: str | int) -> bool:
    """Path elements pydantic adds for union members; they are not keys in the file."""
    return isinstance(part, str) and (
        part in _UNION_MEMBER_TAGS or part in _TARGET_KINDS or part.startswith("function-")
    )


def _value_at(data: Any, path: Path_) -> Any:
    for part in path:
        in_mapping = isinstance(data, dict) and part in data
        in_list = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if in_mapping or in_list:
            data = data[part]
        else:
            return None
    return data


def _describe(value: Any) -> str:
    return f"{type(value).__name__} {value!r}"


def _validation_problems(
    exc: ValidationError, data: dict[str, Any], positions: _Positions
) -> list[Problem]:
    """Turn pydantic's errors into one readable problem per place in the file."""
    problems: list[Problem] = []
    for error in exc.errors():
        loc = error["loc"]
        path = tuple(p for p in loc if not _is_union_tag(p))
        where = ".".join(str(p) for p in path)
        kind = error["type"]
        if any(p in _UNION_MEMBER_TAGS for p in loc if isinstance(p, str)):
            tag_at = next(i for i, p in enumerate(loc) if p in _UNION_MEMBER_TAGS)
            union_path = tuple(p for p in loc[:tag_at] if not _is_union_tag(p))
            value = _value_at(data, union_path)
            mapping_branch = "ChangeRange" in loc
            if isinstance(value, dict) and union_path[-1] == "change_pct":
                if not mapping_branch:
                    continue  # a range was meant: its own errors say what is wrong in it
            else:
                if not mapping_branch:
                    hint = _UNION_HINTS.get(str(union_path[-1]), "another type")
                    message = f"{where}: must be {hint} (got {_describe(value)})"
                    problems.append(Problem(*positions.locate(path), message))
                continue
        if kind == "extra_forbidden":
            parent = ".".join(str(p) for p in path[:-1])
            message = f"unknown key '{path[-1]}'" + (f" in {parent}" if parent else "")
            problems.append(Problem(*positions.locate_key(path), message))
            continue
        if kind == "missing":
            parent = ".".join(str(p) for p in path[:-1])
            message = f"missing required key '{path[-1]}'" + (f" in {parent}" if parent else "")
        elif kind == "union_tag_invalid":
            path = (*path, "kind")
            message = (
                f"{where}.kind: unknown target kind {error['input'].get('kind')!r}; expected "
                "one of annual_change, relative_change, direction"
            )
        elif (
            kind == "string_type"
            and path
            and path[-1] == "code"
            and isinstance(error["input"], int)
        ):
            message = (
                f'{where}: municipality codes must be quoted strings, e.g. "0402" '
                f"(YAML read {error['input']!r})"
            )
        else:
            message = f"{where}: {error['msg'].removeprefix('Value error, ')}"
            typed = kind.endswith(("_type", "_parsing")) or kind == "literal_error"
            if typed and not isinstance(error["input"], dict | list):
                message += f" (got {_describe(error['input'])})"
        problems.append(Problem(*positions.locate(path), message))
    return list(dict.fromkeys(problems))


def _semantic_problems(spec: StrategySpec) -> list[tuple[Path_, str]]:
    """Rules that span several fields: ids, references, years, code histories."""
    problems: list[tuple[Path_, str]] = []

    def unique(items: Sequence[Any], attr: str, section: str, seen: dict[str, str]) -> None:
        for index, item in enumerate(items):
            value = getattr(item, attr)
            if value in seen:
                problems.append(
                    (
                        (section, index, attr),
                        f"duplicate id '{value}' (already used in {seen[value]})",
                    )
                )
            else:
                seen[value] = f"{section}[{index}]"

    unique(spec.region.municipalities, "id", "municipalities", {})
    unique(spec.goals, "id", "goals", {})
    # Tags on consultation proposals name main strategies and focus areas by id, so the
    # two lists share one namespace.
    tag_ids: dict[str, str] = {}
    unique(spec.main_strategies, "id", "main_strategies", tag_ids)
    unique(spec.focus_areas, "id", "focus_areas", tag_ids)
    unique(spec.measures, "id", "measures", {})
    unique(spec.consultations, "slug", "consultations", {})
    # municipalities sit under region; fix the path prefix
    problems = [(("region", *p) if p[0] == "municipalities" else p, m) for p, m in problems]

    for a_index, area in enumerate(spec.focus_areas):
        for m_index, mapping in enumerate(area.nace):
            sections = NACE_SECTIONS[mapping.classification]
            for c_index, code in enumerate(mapping.codes):
                if code.isalpha() and code not in sections:
                    problems.append(
                        (
                            ("focus_areas", a_index, "nace", m_index, "codes", c_index),
                            f"{code!r} is not a section of {mapping.classification} (A–"
                            f"{sections[-1]}); codes of the 2025 standard need "
                            "classification: SN2025",
                        )
                    )

    numbers: dict[int, int] = {}
    for index, main in enumerate(spec.main_strategies):
        if main.number in numbers:
            problems.append(
                (("main_strategies", index, "number"), f"duplicate number {main.number}")
            )
        numbers.setdefault(main.number, index)

    all_codes: dict[str, str] = {}
    for m_index, municipality in enumerate(spec.region.municipalities):
        periods = municipality.codes
        open_ended = [i for i, p in enumerate(periods) if p.valid_to is None]
        if len(open_ended) != 1:
            problems.append(
                (
                    ("region", "municipalities", m_index, "codes"),
                    f"{municipality.name} must have exactly one current code (one period "
                    f"without valid_to); found {len(open_ended)}",
                )
            )
        for c_index in range(1, len(periods)):
            before, after = periods[c_index - 1], periods[c_index]
            if (
                before.valid_to is None
                or after.valid_from is None
                or after.valid_from <= before.valid_to
            ):
                problems.append(
                    (
                        ("region", "municipalities", m_index, "codes", c_index, "valid_from"),
                        "code periods must be in order and must not overlap: valid_from must "
                        "come after the previous period's valid_to",
                    )
                )
        for c_index, period in enumerate(periods):
            if period.code in all_codes:
                problems.append(
                    (
                        ("region", "municipalities", m_index, "codes", c_index, "code"),
                        f"code {period.code} is also used by {all_codes[period.code]}",
                    )
                )
            all_codes.setdefault(period.code, municipality.name)

    period = spec.strategy.period
    if period.end < period.start:
        problems.append((("strategy", "period", "end"), "the period ends before it starts"))

    for index, goal in enumerate(spec.goals):
        target = goal.target
        if target.end_year is not None and target.end_year <= target.baseline_year:
            problems.append(
                (
                    ("goals", index, "target", "end_year"),
                    f"target year {target.end_year} is not after its baseline year "
                    f"{target.baseline_year}",
                )
            )
        change = getattr(target, "change_pct", None)
        if isinstance(change, ChangeRange) and change.high < change.low:
            problems.append((("goals", index, "target", "change_pct", "high"), "high is below low"))

    strategy_ids = {s.id for s in spec.main_strategies}
    focus_ids = {f.id for f in spec.focus_areas}
    for index, measure in enumerate(spec.measures):
        for s_index, ref in enumerate(measure.strategies):
            if ref not in strategy_ids:
                problems.append(
                    (("measures", index, "strategies", s_index), f"unknown main strategy '{ref}'")
                )
        for f_index, ref in enumerate(measure.focus_areas):
            if ref not in focus_ids:
                problems.append(
                    (("measures", index, "focus_areas", f_index), f"unknown focus area '{ref}'")
                )

    for index, consultation in enumerate(spec.consultations):
        deadline = consultation.deadline
        deadline_day = deadline.date() if isinstance(deadline, dt.datetime) else deadline
        if consultation.opens and deadline_day < consultation.opens:
            problems.append(
                (("consultations", index, "deadline"), "the deadline is before the opening date")
            )
        if isinstance(deadline, dt.datetime) and deadline.tzinfo is None:
            problems.append(
                (
                    ("consultations", index, "deadline"),
                    "a deadline with a time must have a UTC offset, e.g. 2024-06-15T23:59:59+02:00",
                )
            )
        if not (consultation.channels.email or consultation.channels.web_form):
            problems.append((("consultations", index, "channels"), "no channel to send proposals"))
    return problems


# libyaml's safe loader where PyYAML was built with it: the same documents and marks, and
# about ten times faster than the pure-Python one (every `retning setup` parses the file).
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_spec(text: str, filename: str = "<strategy>") -> StrategySpec:
    """Validate a strategy file's text; raise SpecError listing every problem found."""
    try:
        root = yaml.compose(text, Loader=_YAML_LOADER)
        data = yaml.load(text, Loader=_YAML_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = f"YAML syntax error: {exc.problem or exc.context}"
        if exc.context and exc.problem:
            message += f" ({exc.context})"
        raise SpecError(filename, [Problem(line, column, message)]) from None
    except yaml.YAMLError as exc:
        raise SpecError(filename, [Problem(1, 1, f"YAML error: {exc}")]) from None

    positions = _Positions(root)
    problems = [
        Problem(key.start_mark.line + 1, key.start_mark.column + 1, f"duplicate key '{path[-1]}'")
        for path, key in _duplicate_keys(root)
    ]
    if not isinstance(data, dict):
        raise SpecError(filename, [*problems, Problem(1, 1, "the file must be a YAML mapping")])

    try:
        spec = StrategySpec.model_validate(data)
    except ValidationError as exc:
        raise SpecError(filename, problems + _validation_problems(exc, data, positions)) from None

    problems.extend(
        Problem(*positions.locate(path), message) for path, message in _semantic_problems(spec)
    )
    if problems:
        raise SpecError(filename, problems)
    return spec


def load_spec(path: str | Path) -> StrategySpec:
    """Read and validate a strategy file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecError(str(path), [Problem(1, 1, "file not found")]) from None
    except UnicodeDecodeError as exc:
        raise SpecError(
            str(path), [Problem(1, 1, f"the file is not UTF-8 ({exc.reason})")]
        ) from None
    return parse_spec(text, str(path))


def current_code(municipality: Municipality, on: dt.date) -> str | None:
    """The municipality's code valid on a date (None if it had none then)."""
    for period in municipality.codes:
        if (period.valid_from is None or period.valid_from <= on) and (
            period.valid_to is None or on <= period.valid_to
        ):
            return period.code
    return None
