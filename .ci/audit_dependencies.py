"""Audit the locked dependencies (requirements.lock) with pip-audit.

Exit 1 on a known vulnerability, unless its id is listed with a reason in
.ci/pip-audit-ignore.txt; exit 0 with a notice when the vulnerability database cannot be
reached (CI runs where the network may not reach it), so that only a real finding fails.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IGNORE_FILE = ROOT / ".ci" / "pip-audit-ignore.txt"
UNREACHABLE = re.compile(
    r"ConnectionError|NameResolution|Max retries exceeded|timed out|Temporary failure in name"
)


class IgnoreFileError(ValueError):
    pass


def read_ignores(text: str) -> dict[str, str]:
    """`ID  reason` lines (blank lines and # comments skipped); every id needs a reason."""
    ignores = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        vuln_id, _, reason = line.partition(" ")
        if not reason.strip():
            raise IgnoreFileError(f"{IGNORE_FILE.name}:{number}: {vuln_id} has no reason")
        ignores[vuln_id] = reason.strip()
    return ignores


def verdict(report: dict) -> tuple[int, list[str]]:
    """(exit code, lines to print) for pip-audit's JSON report."""
    dependencies = report.get("dependencies", [])
    found = [
        f"VULNERABLE {d['name']} {d['version']}: {v['id']} "
        f"(fixed in {', '.join(v.get('fix_versions') or ['-'])})"
        for d in dependencies
        for v in d.get("vulns", [])
    ]
    if found:
        return 1, [*found, "list an id with a reason in .ci/pip-audit-ignore.txt to accept it"]
    skipped = [d for d in dependencies if d.get("skip_reason")]
    if dependencies and len(skipped) == len(dependencies):
        return 0, [
            f"NOTICE: pip-audit could not check any of the {len(dependencies)} packages "
            "(its vulnerability database is not reachable from here); not audited"
        ]
    lines = [f"NOTICE: not audited: {d['name']}: {d['skip_reason']}" for d in skipped]
    audited = len(dependencies) - len(skipped)
    return 0, [*lines, f"pip-audit: {audited} packages, no known vulnerability"]


def main() -> int:
    try:
        ignores = read_ignores(IGNORE_FILE.read_text() if IGNORE_FILE.exists() else "")
    except IgnoreFileError as exc:
        print(f"!! {exc}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "audit.json"
        command = [
            sys.executable, "-m", "pip_audit", "-r", str(ROOT / "requirements.lock"),
            "--disable-pip", "--no-deps", "--progress-spinner", "off",
            "--format", "json", "-o", str(output),
        ]  # fmt: skip
        for vuln_id in ignores:
            command += ["--ignore-vuln", vuln_id]
        result = subprocess.run(command, capture_output=True, text=True, timeout=900)
        if not output.exists():
            if UNREACHABLE.search(result.stderr):
                print("NOTICE: pip-audit could not reach its vulnerability database; not audited")
                return 0
            print(result.stderr, file=sys.stderr)
            return result.returncode or 2
        code, lines = verdict(json.loads(output.read_text()))
    for line in lines:
        print(line)
    for vuln_id, reason in ignores.items():
        print(f"accepted {vuln_id}: {reason}")
    return code


if __name__ == "__main__":
    sys.exit(main())
