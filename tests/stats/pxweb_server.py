"""A loopback PxWebApi v2 server for tests: real HTTP, real JSON-stat 2 wire format.

It serves `/tables/{id}/metadata` and `POST /tables/{id}/data` from in-memory cubes, and
can be told to misbehave (timeout, 429 with Retry-After, 500, truncated body, malformed
JSON-stat, dropped connection) so that the real client code meets real faults.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Cube:
    """A table: ordered dimensions {id: [codes]} and cells {(code, …): value or status}."""

    table: str
    label: str
    dimensions: dict[str, list[str]]
    cells: dict[tuple[str, ...], object]
    eliminable: set[str] = field(default_factory=set)
    extra_dimensions: dict[str, list[str]] = field(default_factory=dict)  # eliminated here

    def metadata(self) -> dict:
        dims = {**self.dimensions, **self.extra_dimensions}
        return jsonstat(self, dims, [], {})

    def data(self, selection: list[dict]) -> dict:
        chosen: dict[str, list[str]] = {}
        for item in selection:
            variable, codes = item["variableCode"], item["valueCodes"]
            if variable in self.extra_dimensions:
                continue
            if variable not in self.dimensions:
                raise KeyError(variable)
            if codes == ["*"]:
                codes = self.dimensions[variable]
            for code in codes:
                if code not in self.dimensions[variable]:
                    raise KeyError(f"{variable}={code}")
            chosen[variable] = codes
        dims = {d: chosen.get(d, codes) for d, codes in self.dimensions.items()}
        values, status = [], {}
        for position, key in enumerate(itertools.product(*dims.values())):
            cell = self.cells.get(key, "..")
            if isinstance(cell, str):
                values.append(None)
                status[str(position)] = cell
            else:
                values.append(cell)
        return jsonstat(self, dims, values, status)


def jsonstat(cube: Cube, dims: dict[str, list[str]], values: list, status: dict) -> dict:
    time_id = "Tid"
    return {
        "version": "2.0",
        "class": "dataset",
        "label": cube.label,
        "source": "Statistisk sentralbyrå",
        "updated": "2026-03-10T07:00:00Z",
        "role": {"time": [time_id], "metric": ["ContentsCode"]}
        | ({"geo": ["Region"]} if "Region" in dims else {}),
        "id": list(dims),
        "size": [len(codes) for codes in dims.values()],
        "dimension": {
            d: {
                "label": d,
                "category": {
                    "index": {code: i for i, code in enumerate(codes)},
                    "label": {code: code for code in codes},
                },
                "extension": {"elimination": d in cube.eliminable},
            }
            for d, codes in dims.items()
        },
        "extension": {"px": {"tableid": cube.table, "decimals": 0}},
        "value": values,
        **({"status": status} if status else {}),
    }


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
        # As SSB's GET /config answers (the licence is the one ssb.no's copyright page names).
        self.config = {
            "apiVersion": "2.0.0",
            "maxDataCells": 800000,
            "maxCallsPerTimeWindow": 30,
            "timeWindow": 60,
            "license": "NLOD 2.0",
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
                parts = self.path.split("?")[0].strip("/").split("/")
                if parts == ["config"]:
                    return self.reply(200, server.config)
                if len(parts) == 3 and parts[0] == "tables" and parts[2] == "metadata":
                    cube = server.cubes.get(parts[1])
                    if cube is None:
                        return self.reply(404, {"title": "Not found"})
                    return self.reply(200, cube.metadata())
                return self.reply(404, {"title": "Not found"})

            def do_POST(self):
                server.requests.append(("POST", self.path))
                length = int(self.headers.get("content-length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                parts = self.path.split("?")[0].strip("/").split("/")
                cube = server.cubes.get(parts[1]) if len(parts) == 3 else None
                if cube is None:
                    return self.reply(404, {"title": "Not found"})
                fault = server.faults.get(cube.table)
                if fault and fault.times > 0:
                    fault.times -= 1
                    return self.misbehave(fault, cube, body)
                try:
                    return self.reply(200, cube.data(body["selection"]))
                except KeyError as exc:
                    return self.reply(400, {"title": f"Bad selection {exc}"})

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
                    doc = cube.data(body["selection"])
                    doc["size"] = doc["size"][:-1]
                    return self.reply(200, doc)
                payload = json.dumps(cube.data(body["selection"])).encode()
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

            def reply(self, status: int, doc: dict, headers: dict | None = None):
                payload = json.dumps(doc, ensure_ascii=False).encode()
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
