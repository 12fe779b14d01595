"""A small JSON-stat 2.0 dataset decoder.

Our own rather than pyjstat: pyjstat (last release 2023) goes through pandas DataFrames and
drops the status symbols we must keep, while the format needs ~80 lines to decode exactly:
`id`/`size` give the dimension order, `value` is row-major (a list, or a dict of sparse
positions), and `status` (a string, list or dict) marks SSB's symbols.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# SSB's symbols (https://www.ssb.no/en/help/explanation-of-symbols).
STATUS_REASONS = {
    ".": "not applicable (SSB '.')",
    "..": "not available (SSB '..')",
    "...": "not yet available (SSB '...')",
    ":": "confidential, suppressed (SSB ':')",
}


class JsonStatError(ValueError):
    """The document is not a JSON-stat 2.0 dataset we can read; the message says where."""


@dataclass(frozen=True)
class Dimension:
    """One variable. `elimination` (may it be left out of a query?) is only meaningful in
    PxWebApi's metadata documents; `elimination_code` is the total a left-out variable
    stands for, where the document names it (SSB's metadata usually does not); `codelists`
    are the ids of the code lists the table offers for the variable."""

    id: str
    label: str
    codes: list[str]
    labels: dict[str, str]
    elimination: bool | None
    elimination_code: str = ""
    codelists: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cell:
    coordinates: dict[str, str]
    value: Decimal | None
    status: str
    missing_reason: str


@dataclass(frozen=True)
class Dataset:
    label: str
    dimensions: list[Dimension]
    values: list[Decimal | None]
    status: dict[int, str]
    role: dict[str, list[str]]
    table_id: str
    updated: str

    def dimension(self, dimension_id: str) -> Dimension:
        for dimension in self.dimensions:
            if dimension.id == dimension_id:
                return dimension
        raise KeyError(dimension_id)

    def cells(self) -> Iterator[Cell]:
        """Every cell in row-major order, with SSB's status symbols kept as reasons."""
        codes = [d.codes for d in self.dimensions]
        for position, combination in enumerate(itertools.product(*codes)):
            raw = self.values[position] if position < len(self.values) else None
            status = self.status.get(position, "")
            value = raw
            reason = ""
            if value is None:
                fallback = f"missing (status {status!r})" if status else "missing"
                reason = STATUS_REASONS.get(status, fallback)
            yield Cell(
                dict(zip([d.id for d in self.dimensions], combination, strict=True)),
                value,
                status,
                reason,
            )


def _decimal(raw: object, position: int) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise JsonStatError(f"value[{position}] is {raw!r}, not a number")
    try:
        return Decimal(str(raw))
    except InvalidOperation:
        raise JsonStatError(f"value[{position}] is {raw!r}, not a number") from None


def decode(raw: bytes, *, metadata: bool = False) -> Dataset:
    """Parse JSON-stat 2.0 bytes; raise `JsonStatError` naming what is wrong.

    With `metadata`, an empty `value` is allowed (PxWebApi's metadata documents).
    """
    try:
        doc = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise JsonStatError(f"not valid JSON ({exc})") from None
    if not isinstance(doc, dict) or doc.get("class") != "dataset":
        raise JsonStatError("not a JSON-stat dataset (class is not 'dataset')")
    ids, sizes, dims = doc.get("id"), doc.get("size"), doc.get("dimension")
    if not isinstance(ids, list) or not isinstance(sizes, list) or not isinstance(dims, dict):
        raise JsonStatError("'id', 'size' or 'dimension' missing")
    if len(ids) != len(sizes):
        raise JsonStatError(f"'id' has {len(ids)} entries but 'size' has {len(sizes)}")
    dimensions = []
    for dimension_id, size in zip(ids, sizes, strict=True):
        spec = dims.get(dimension_id)
        if not isinstance(spec, dict) or not isinstance(spec.get("category"), dict):
            raise JsonStatError(f"dimension {dimension_id!r} has no category")
        category = spec["category"]
        index = category.get("index")
        labels = category.get("label") or {}
        if isinstance(index, dict):
            codes = sorted(index, key=index.__getitem__)
        elif isinstance(index, list):
            codes = list(index)
        elif index is None and len(labels) == 1:
            codes = list(labels)
        else:
            raise JsonStatError(f"dimension {dimension_id!r} has no category index")
        if len(codes) != size:
            raise JsonStatError(
                f"dimension {dimension_id!r} has {len(codes)} categories but size {size}"
            )
        extension = spec.get("extension") or {}
        codelists = extension.get("codelists") or []
        dimensions.append(
            Dimension(
                dimension_id,
                spec.get("label", dimension_id),
                codes,
                {code: labels.get(code, code) for code in codes},
                extension.get("elimination"),
                str(extension.get("eliminationValueCode") or ""),
                tuple(str(item.get("id", "")) for item in codelists if isinstance(item, dict)),
            )
        )
    total = 1
    for size in sizes:
        total *= size
    values = doc.get("value")
    if values is None:
        values = []
    elif isinstance(values, dict):
        sparse = [None] * total
        for key, value in values.items():
            sparse[int(key)] = value
        values = sparse
    elif not isinstance(values, list):
        raise JsonStatError("'value' is neither a list nor an object")
    elif metadata and not values:
        pass
    elif len(values) != total:
        raise JsonStatError(f"'value' has {len(values)} entries, the sizes give {total}")
    values = [None if v is None else _decimal(v, i) for i, v in enumerate(values)]
    status = _status(doc.get("status"), total)
    px = (doc.get("extension") or {}).get("px") or {}
    return Dataset(
        label=doc.get("label", ""),
        dimensions=dimensions,
        values=values,
        status=status,
        role=doc.get("role") or {},
        table_id=str(px.get("tableid", "")),
        updated=doc.get("updated", ""),
    )


def _status(status: object, total: int) -> dict[int, str]:
    if status is None:
        return {}
    if isinstance(status, str):
        return dict.fromkeys(range(total), status)
    if isinstance(status, list):
        return {i: s for i, s in enumerate(status) if s}
    if isinstance(status, dict):
        return {int(k): v for k, v in status.items()}
    raise JsonStatError("'status' is neither a string, a list nor an object")
