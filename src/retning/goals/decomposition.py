"""Where a change comes from: municipalities' contributions and a shift-share split.

Shift-share (the classic Dunn decomposition) splits a region's change in jobs in each
industry i between two years into
- national growth: E_i0 × g_N          (had the industry grown as all jobs in Norway),
- industry mix:    E_i0 × (g_iN − g_N) (the industry grew faster/slower nationally),
- regional effect: E_i0 × (g_iR − g_iN) (the region did better/worse than the industry),
where E_i0 is the region's jobs in i at the start, g_N national growth of all jobs, g_iN
national growth of industry i and g_iR the region's growth in i. The three add up to the
region's actual change exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

Pair = tuple[float, float]  # (start, end)


@dataclass(frozen=True)
class Contribution:
    member: str
    start: float
    end: float

    @property
    def change(self) -> float:
        return self.end - self.start


def contributions(by_member: Mapping[str, Pair]) -> list[Contribution]:
    """Each member's change; their sum is the region's change."""
    return [Contribution(member, start, end) for member, (start, end) in by_member.items()]


@dataclass(frozen=True)
class ShiftShare:
    industry: str
    start: float
    end: float
    national_growth: float
    industry_mix: float
    regional_effect: float

    @property
    def change(self) -> float:
        return self.end - self.start


def shift_share(regional: Mapping[str, Pair], national: Mapping[str, Pair]) -> list[ShiftShare]:
    """Split each industry's regional change into national growth, industry mix and
    regional effect. Industries without national figures at the start are refused."""
    national_start = sum(start for start, _ in national.values())
    national_end = sum(end for _, end in national.values())
    if national_start <= 0:
        raise ValueError("national employment at the start must be positive")
    g_n = national_end / national_start - 1
    rows: list[ShiftShare] = []
    for industry, (start, end) in regional.items():
        if industry not in national or national[industry][0] <= 0:
            raise ValueError(f"no national figure at the start for industry {industry!r}")
        n0, n1 = national[industry]
        g_in = n1 / n0 - 1
        g_ir = end / start - 1 if start else 0.0
        rows.append(
            ShiftShare(
                industry,
                start,
                end,
                national_growth=start * g_n,
                industry_mix=start * (g_in - g_n),
                regional_effect=(end - start) - start * g_in
                if not start
                else start * (g_ir - g_in),
            )
        )
    return rows
