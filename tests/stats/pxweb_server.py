"""A loopback PxWebApi v2 server for tests: real HTTP, the real JSON-stat 2 wire shapes.

It serves `GET /config`, `GET /tables/{id}/metadata[?codelist[VAR]=ID]` and
`POST /tables/{id}/data` from in-memory cubes, and answers as SSB's service does:

- metadata: `extension.elimination`, `show` and `codelists` on every dimension, `unit` on
  the contents, `role` time/metric (and geo where there is a Region), `"value": []`, and no
  `eliminationValueCode` (SSB's metadata does not name it; janbrus/pxwebapi-skills
  references/json-stat2.md);
- data: a left-out variable is eliminated if it may be (its total), else HTTP 400
  "Missing selection for mandantory variable" (sic); unknown variables, values and code
  lists are HTTP 400 "Non-existent variable/value/codelist", a repeated code is HTTP 500
  with an empty body, more cells than `maxDataCells` is HTTP 400 "Too many cells selected"
  (the shapes recorded in references/troubleshooting.md of the same repository).

It can also be told to misbehave (timeout, 429 with Retry-After, 500, truncated body,
malformed JSON-stat, dropped connection) so that the real client code meets real faults.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

MISSING = ".."  # SSB: "tallgrunnlag mangler"


class PxError(Exception):
    """An error answer of the service: HTTP status and the `title` SSB sends."""

    def __init__(self, status: int, title: str):
        super().__init__(title)
        self.status = status
        self.title = title


@dataclass
class CodeList:
    """A PxWebApi code list of one variable (`agg_…` aggregation or `vs_…` value set)."""

    id: str
    label: str
    codes: list[str]
    labels: dict[str, str] = field(default_factory=dict)
    type: str = "Aggregation"


@dataclass
class Variable:
    """One variable of a table as its metadata shows it.

    `served`: the cube has cells for it; a variable that is not served may only be left
    out (eliminated). `elimination_code`: the total a left-out variable stands for (SSB's
    ELIMINATION("code") form); otherwise leaving it out sums its values. `publish_code`:
    show that code in the metadata's `eliminationValueCode`, which SSB does not do.
    """

    id: str
    label: str
    codes: list[str]
    labels: dict[str, str] = field(default_factory=dict)
    elimination: bool = False
    codelists: list[CodeList] = field(default_factory=list)
    served: bool = True
    elimination_code: str = ""
    publish_code: bool = False
    units: dict[str, dict] = field(default_factory=dict)

    def codelist(self, codelist_id: str) -> CodeList | None:
        return next((c for c in self.codelists if c.id == codelist_id), None)


@dataclass
class Cube:
    """A table: its variables in metadata order and cells keyed by the served variables'
    codes (in that order) → a number or an SSB status symbol. Missing cells are `..`."""

    table: str
    label: str
    variables: list[Variable]
    cells: dict[tuple[str, ...], object]
    notes: list[str] = field(default_factory=list)
    aggregallowed: bool = True

    def variable(self, variable_id: str) -> Variable | None:
        return next((v for v in self.variables if v.id == variable_id), None)

    @property
    def served(self) -> list[Variable]:
        return [v for v in self.variables if v.served]

    def rename_code(self, variable_id: str, old: str, new: str) -> None:
        """A code renamed in a new release (tests of drift)."""
        variable = self.variable(variable_id)
        variable.codes = [new if c == old else c for c in variable.codes]
        variable.labels[new] = variable.labels.pop(old, new)
        position = [v.id for v in self.served].index(variable_id)
        self.cells = {
            key[:position]
            + ((new,) if key[position] == old else (key[position],))
            + key[1 + position :]: value
            for key, value in self.cells.items()
        }

    def metadata(self, codelists: dict[str, str] | None = None, base: str = "") -> dict:
        dims = {}
        for variable, applied in self._applied(codelists or {}):
            codes = applied.codes if applied else variable.codes
            labels = applied.labels if applied else variable.labels
            dims[variable.id] = (variable, codes, labels)
        return self._document(dims, [], {}, metadata=True, base=base)

    def _applied(self, codelists: dict[str, str]):
        for name in codelists:
            if self.variable(name) is None:
                raise PxError(400, "Non-existent variable")
        for variable in self.variables:
            applied = None
            if variable.id in codelists:
                applied = variable.codelist(codelists[variable.id])
                if applied is None:
                    raise PxError(400, "Non-existent codelist")
            yield variable, applied

    def data(self, selection: list[dict], max_cells: int = 800_000) -> dict:
        chosen: dict[str, tuple[list[str], dict[str, str]]] = {}
        for item in selection:
            variable = self.variable(item["variableCode"])
            if variable is None:
                raise PxError(400, "Non-existent variable")
            applied = None
            if item.get("codelist"):
                applied = variable.codelist(item["codelist"])
                if applied is None:
                    raise PxError(400, "Non-existent codelist")
            available = applied.codes if applied else variable.codes
            labels = applied.labels if applied else variable.labels
            codes = list(item["valueCodes"])
            if len(set(codes)) != len(codes):
                raise PxError(500, "")  # SSB answers a repeated code with 500, empty body
            if codes == ["*"]:
                codes = list(available)
            for code in codes:
                if code not in available:
                    raise PxError(400, "Non-existent value")
            if not variable.served:
                raise PxError(400, f"test fixture: no cells for a selection of {variable.id}")
            chosen[variable.id] = (codes, labels)
        for variable in self.variables:
            if variable.id not in chosen and not variable.elimination:
                raise PxError(400, "Missing selection for mandantory variable")
        dims = {
            v.id: (v, chosen[v.id][0], chosen[v.id][1]) for v in self.variables if v.id in chosen
        }
        total = 1
        for _, codes, _ in dims.values():
            total *= len(codes)
        if total > max_cells:
            raise PxError(400, "Too many cells selected")
        values, status = [], {}
        order = list(dims)
        for position, combination in enumerate(
            itertools.product(*(c for _, c, _ in dims.values()))
        ):
            cell = self._value(dict(zip(order, combination, strict=True)))
            if isinstance(cell, str):
                values.append(None)
                status[str(position)] = cell
            else:
                values.append(cell)
        return self._document(dims, values, status, metadata=False)

    def _value(self, coordinates: dict[str, str]) -> object:
        """A cell; a served variable left out is its elimination value or the sum."""
        for variable in self.served:
            if variable.id in coordinates:
                continue
            if variable.elimination_code:
                return self._value({**coordinates, variable.id: variable.elimination_code})
            parts = [self._value({**coordinates, variable.id: c}) for c in variable.codes]
            if any(isinstance(p, str) for p in parts):
                return MISSING
            return sum(parts)
        key = tuple(coordinates[v.id] for v in self.served)
        return self.cells.get(key, MISSING)

    def _document(self, dims, values, status, *, metadata: bool, base: str = "") -> dict:
        role = {"time": ["Tid"], "metric": ["ContentsCode"]}
        if "Region" in dims:
            role["geo"] = ["Region"]
        dimension = {}
        for variable, codes, labels in dims.values():
            category = {
                "index": {code: i for i, code in enumerate(codes)},
                "label": {code: labels.get(code, code) for code in codes},
            }
            if variable.units:
                category["unit"] = {c: variable.units[c] for c in codes if c in variable.units}
            extension: dict = {"elimination": variable.elimination, "show": "value"}
            if metadata:
                extension["codelists"] = [
                    {
                        "id": c.id,
                        "label": c.label,
                        "type": c.type,
                        "links": [
                            {
                                "rel": "metadata",
                                "hreflang": "no",
                                "href": f"{base}/codeLists/{c.id}?lang=no",
                            }
                        ],
                    }
                    for c in variable.codelists
                ]
                if variable.publish_code and variable.elimination_code:
                    extension["eliminationValueCode"] = variable.elimination_code
            else:
                # In a data response `elimination` describes the extract, not the table.
                extension["elimination"] = bool(
                    variable.elimination_code and variable.elimination_code in codes
                )
                if extension["elimination"]:
                    extension["eliminationValueCode"] = variable.elimination_code
            dimension[variable.id] = {
                "label": variable.label,
                "category": category,
                "extension": extension,
            }
        doc = {
            "version": "2.0",
            "class": "dataset",
            "label": self.label,
            "source": "Statistisk sentralbyrå",
            "updated": "2026-03-10T07:00:00Z",
            **({"note": list(self.notes)} if self.notes else {}),
            "role": role,
            "id": list(dims),
            "size": [len(codes) for _, codes, _ in dims.values()],
            "dimension": dimension,
            "extension": {
                "px": {
                    "infofile": "None",
                    "tableid": self.table,
                    "decimals": 1,
                    "official-statistics": True,
                    "aggregallowed": self.aggregallowed,
                    "language": "no",
                    "contents": self.label.split(",")[0],
                    "matrix": self.table,
                }
            },
            "value": values,
        }
        if status:
            doc["status"] = status
        return doc


@dataclass
class Fault:
    kind: str  # timeout | 429 | 500 | truncated | malformed | drop | unplug
    times: int = 1_000_000  # how many requests it affects
    retry_after: str = "0"


class PxWebServer:
    def __init__(self, cubes: list[Cube]):
        self.cubes = {cube.table: cube for cube in cubes}
        self.faults: dict[str, Fault] = {}  # table → fault (data requests only)
        self.requests: list[tuple[str, str]] = []
        # SSB's GET /config as janbrus/pxwebapi-skills recorded it on 2026-08-30
        # (references/troubleshooting.md), without the languages and formats lists.
        self.config = {
            "apiVersion": "2.3.2",
            "appVersion": "2.5.0+build.30",
            "defaultLanguage": "no",
            "maxDataCells": 800000,
            "maxCallsPerTimeWindow": 0,
            "timeWindow": 0,
            "license": "https://www.ssb.no/en/diverse/lisens",
            "defaultDataFormat": "json-stat2",
        }
        self.bytes_sent = 0
        self.stall = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                server.requests.append(("GET", self.path))
                split = urlsplit(self.path)
                parts = split.path.strip("/").split("/")
                if parts == ["config"]:
                    return self.reply(200, server.config)
                if len(parts) == 3 and parts[0] == "tables" and parts[2] == "metadata":
                    cube = server.cubes.get(parts[1])
                    if cube is None:
                        return self.error(PxError(404, "Non-existent table"))
                    query = parse_qs(split.query)
                    codelists = {
                        key[len("codelist[") : -1]: values[0]
                        for key, values in query.items()
                        if key.startswith("codelist[") and key.endswith("]")
                    }
                    try:
                        return self.reply(200, cube.metadata(codelists, server.url))
                    except PxError as exc:
                        return self.error(exc)
                return self.reply(404, {"title": "Not found"})

            def do_POST(self):
                server.requests.append(("POST", self.path))
                length = int(self.headers.get("content-length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                parts = urlsplit(self.path).path.strip("/").split("/")
                cube = server.cubes.get(parts[1]) if len(parts) == 3 else None
                if cube is None:
                    return self.error(PxError(404, "Non-existent table"))
                fault = server.faults.get(cube.table)
                if fault and fault.times > 0:
                    fault.times -= 1
                    return self.misbehave(fault, cube, body)
                try:
                    return self.reply(200, self.data(cube, body))
                except PxError as exc:
                    return self.error(exc)

            def data(self, cube: Cube, body: dict) -> dict:
                return cube.data(body["selection"], int(server.config["maxDataCells"]))

            def misbehave(self, fault: Fault, cube: Cube, body: dict):
                if fault.kind == "timeout":
                    server.stall.wait(5)
                    return None
                if fault.kind == "429":
                    return self.reply(
                        429, {"title": "Too many"}, {"Retry-After": fault.retry_after}
                    )
                if fault.kind == "500":
                    return self.reply(500, {"title": "Internal error"})
                if fault.kind == "malformed":
                    doc = self.data(cube, body)
                    doc["size"] = doc["size"][:-1]
                    return self.reply(200, doc)
                payload = json.dumps(self.data(cube, body)).encode()
                if fault.kind == "truncated":
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload[: len(payload) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return None
                if fault.kind == "unplug":  # the server goes away for good
                    threading.Thread(target=server.unplug, daemon=True).start()
                    self.close_connection = True
                    self.connection.close()
                    return None
                if fault.kind == "drop":
                    self.close_connection = True
                    self.connection.close()
                    return None
                raise ValueError(fault.kind)

            def error(self, exc: PxError):
                if exc.status == 500 and not exc.title:
                    return self.send_bytes(500, b"")
                doc = {"type": "Parameter error", "title": exc.title, "status": exc.status}
                return self.reply(exc.status, doc)

            def reply(self, status: int, doc: dict, headers: dict | None = None):
                payload = json.dumps(doc, ensure_ascii=False).encode()
                return self.send_bytes(status, payload, headers)

            def send_bytes(self, status: int, payload: bytes, headers: dict | None = None):
                server.bytes_sent += len(payload)
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=UTF-8")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def unplug(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> PxWebServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stall.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        time.sleep(0)

    def data_requests(self) -> list[str]:
        return [path for method, path in self.requests if method == "POST"]

    def metadata_requests(self) -> list[str]:
        return [path for method, path in self.requests if method == "GET" and "/metadata" in path]
