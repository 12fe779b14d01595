"""Synthetic bulk files in Enhetsregisteret's schema (made-up units, never real ones).

Used by the tests and by `bench/brreg_bulk.py`. The layout follows the register's bulk
download: a JSON array, pretty-printed, one object per unit, `organisasjonsnummer` first.
"""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REGION_CODES = ["3401", "3414", "3415", "3416", "3417", "3418"]
NACE = ["01.110", "02.100", "16.100", "25.110", "41.200", "43.210", "47.111", "49.410",
        "52.100", "62.010", "69.201", "71.121", "86.211", "56.101"]  # fmt: skip
FORMS = ["AS", "ENK", "ASA", "DA", "ANS", "SA", "STI", "FLI"]


@dataclass
class Expected:
    """What a correct import of the generated file must find, counted while generating."""

    total: int = 0
    in_region: dict[str, int] = field(default_factory=dict)
    orgnrs_in_region: set[str] = field(default_factory=set)


def _address(code: str, rng: random.Random) -> dict:
    return {
        "land": "Norge",
        "landkode": "NO",
        "postnummer": f"{rng.randint(1, 9999):04d}",
        "poststed": "SYNTETISK",
        "adresse": [f"Syntetisk vei {rng.randint(1, 200)}"],
        "kommune": "SYNTETISK",
        "kommunenummer": code,
    }


def _other_code(rng: random.Random) -> str:
    while True:
        county = rng.choice([3, 11, 15, 18, 31, 32, 33, 39, 40, 42, 46, 50, 55, 56])
        code = f"{county:02d}{rng.randint(1, 99):02d}"
        if code not in REGION_CODES:
            return code


def synthetic_units(count: int, kind: str = "enhet", seed: int = 2016, region_share: float = 0.005):
    """Yield (record, municipality_in_region_or_None) for `count` made-up units."""
    rng = random.Random(seed)
    address_key = "forretningsadresse" if kind == "enhet" else "beliggenhetsadresse"
    for index in range(count):
        orgnr = f"{900_000_000 + index:09d}"
        in_region = rng.random() < region_share
        code = rng.choice(REGION_CODES) if in_region else _other_code(rng)
        nace = rng.choice(NACE)
        record: dict = {
            "organisasjonsnummer": orgnr,
            "navn": f"SYNTETISK ENHET {index} AS",
            "organisasjonsform": {
                "kode": rng.choice(FORMS),
                "beskrivelse": "Syntetisk organisasjonsform",
                "_links": {
                    "self": {
                        "href": "https://data.brreg.no/enhetsregisteret/api/organisasjonsformer/AS"
                    }
                },
            },
            "registreringsdatoEnhetsregisteret": f"{rng.randint(1995, 2025)}-{rng.randint(1, 12):02d}-01",  # noqa: E501
            "registrertIMvaregisteret": rng.random() < 0.6,
            "naeringskode1": {"kode": nace, "beskrivelse": "Syntetisk næring"},
            "antallAnsatte": rng.choice([0, 0, 1, 2, 3, 5, 8, 12, 25, 60, 140]),
            "harRegistrertAntallAnsatte": True,
        }
        if kind == "enhet":
            # the postal address is sometimes in the region when the business address is
            # not: such units must not be kept
            postal = rng.choice(REGION_CODES) if rng.random() < 0.01 else _other_code(rng)
            record["postadresse"] = _address(postal, rng)
            record[address_key] = _address(code, rng)
            record["institusjonellSektorkode"] = {
                "kode": "2100",
                "beskrivelse": "Private aksjeselskaper mv.",
            }
            record["stiftelsesdato"] = f"{rng.randint(1950, 2025)}-01-15"
            record["registrertIForetaksregisteret"] = True
            record["konkurs"] = False
            record["underAvvikling"] = False
            record["underTvangsavviklingEllerTvangsopplosning"] = False
            record["maalform"] = "Bokmål"
        else:
            record[address_key] = _address(code, rng)
            record["overordnetEnhet"] = f"{800_000_000 + index:09d}"
            record["oppstartsdato"] = f"{rng.randint(1990, 2025)}-03-01"
        if rng.random() < 0.02:
            record["slettedato"] = f"{rng.randint(2016, 2025)}-06-30"
        record["_links"] = {
            "self": {"href": f"https://data.brreg.no/enhetsregisteret/api/enheter/{orgnr}"}
        }
        yield record, (code if in_region else None)


def write_synthetic_bulk(
    path: Path, count: int, kind: str = "enhet", seed: int = 2016, compresslevel: int = 6
) -> Expected:
    """Write a gzip JSON bulk file and return what an import of it must find."""
    expected = Expected()
    with gzip.open(path, "wb", compresslevel=compresslevel) as handle:
        handle.write(b"[ ")
        for index, (record, region_code) in enumerate(synthetic_units(count, kind, seed)):
            if index:
                handle.write(b", ")
            handle.write(json.dumps(record, ensure_ascii=False, indent=2).encode())
            expected.total += 1
            if region_code:
                expected.in_region[region_code] = expected.in_region.get(region_code, 0) + 1
                expected.orgnrs_in_region.add(record["organisasjonsnummer"])
        handle.write(b" ]\n")
    return expected


def iter_bytes(records: list[dict]) -> Iterator[bytes]:
    yield json.dumps(records, ensure_ascii=False, indent=2).encode()
