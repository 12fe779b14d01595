"""What a goal report holds: the evaluated indicator and everything shown beside it.

Plain data classes, filled by a goal's recipe (`retning.goals.recipes`) and read by the
pages, the status report, the API and the exports. No Django: model instances (the goal,
a municipality, a recorded closure) are carried, never queried, here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from retning.goals.engine import (
    AnnualChange,
    Direction,
    Evaluation,
    Point,
    RelativeChange,
    Thresholds,
)
from retning.goals.partial import PartialEvidence
from retning.stats.catalogue import OFFICIAL_RANK

if TYPE_CHECKING:
    from retning.goals.models import FacilityClosure
    from retning.strategy.models import Goal, Municipality, Target


@dataclass(frozen=True)
class SourceRef:
    fetch_id: int
    source: str
    table: str
    url: str
    licence: str
    retrieved_at: object
    via: str
    dataset: str
    title: str = ""
    title_en: str = ""
    publisher: str = ""
    rank: int = OFFICIAL_RANK  # 1 a secondary copy of official figures, 0 quoted figures
    raw_restricted: bool = False  # a licensed file: raw data for staff with a role only


@dataclass
class MunicipalityPart:
    municipality: Municipality
    code: str
    series: list[Point]
    evaluation: Evaluation | None  # None where the target is a regional one (jobs)
    change: float | None = None  # from the baseline (or first) year to the latest complete one
    change_from: int | None = None
    change_to: int | None = None


@dataclass
class Gap:
    """A missing piece of data: what is missing, why, and what would fill it — for the
    public (`remedy`, in plain words) and for the secretariat (`action`: the command or
    admin page; shown on staff pages and in `retning status`, never to the public)."""

    what: str
    why: str
    remedy: str
    action: str = ""


@dataclass
class RegisterNote:
    """What Enhetsregisteret says of the organisation behind a plant that stopped
    reporting: a reason to check, never a closure by itself."""

    orgnr: str
    name: str
    deleted: dt.date | None
    closed: dt.date | None
    fetch_id: int


@dataclass
class FacilityRow:
    facility_id: str
    name: str
    org_nr: str
    nace: str
    municipality: str
    baseline: float | None
    latest_year: int | None
    latest: float | None
    in_fixed_set: bool
    closure: FacilityClosure | None = None
    register: RegisterNote | None = None


@dataclass
class GoalReport:
    goal: Goal
    target: AnnualChange | RelativeChange | Direction
    thresholds: Thresholds
    evaluation: Evaluation
    unit: str
    region_series: list[Point]
    municipalities: list[MunicipalityPart] = field(default_factory=list)
    comparisons: list[tuple[str, list[Point]]] = field(default_factory=list)
    context: list[tuple[str, list[tuple[str, list[Point]]]]] = field(default_factory=list)
    facilities: list[FacilityRow] = field(default_factory=list)
    method: list[str] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    sources: list[SourceRef] = field(default_factory=list)
    # jobs: split by industry (shift-share against Norway) and by focus area
    decomposition_years: tuple[int, int] | None = None
    shift_share: list[Any] = field(default_factory=list)
    focus_changes: list[tuple[str, list[str], float, float]] = field(default_factory=list)
    extra_fetch_ids: set[int] = field(default_factory=set)
    # What the members with figures show while the region's figure is missing
    # (insufficient data only); never the regional figure.
    partial: PartialEvidence | None = None

    @property
    def status(self) -> str:
        return self.evaluation.status.value


def engine_target(target: Target) -> AnnualChange | RelativeChange | Direction:
    """The engine's (pure) target from the stored one."""
    if target.kind == "annual_change":
        return AnnualChange(target.baseline_year, target.end_year, float(target.per_year))
    if target.kind == "relative_change":
        return RelativeChange(
            target.baseline_year,
            target.end_year,
            float(target.change_low_pct),
            float(target.change_high_pct),
        )
    return Direction(target.baseline_year, target.direction, target.end_year)
