"""CI's dependency audit: a found vulnerability fails, an unreachable database does not."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "audit_dependencies.py"
spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)


def test_a_vulnerability_fails_with_its_id():
    report = {
        "dependencies": [
            {"name": "django", "version": "6.0.0", "vulns": [{"id": "PYSEC-0000-synthetic"}]},
            {"name": "httpx", "version": "0.28.1", "vulns": []},
        ]
    }
    code, lines = audit.verdict(report)
    assert code == 1
    assert lines[0] == "VULNERABLE django 6.0.0: PYSEC-0000-synthetic (fixed in -)"


def test_nothing_checked_is_a_notice_not_a_failure():
    report = {"dependencies": [{"name": "django", "skip_reason": "Dependency not found"}]}
    code, lines = audit.verdict(report)
    assert code == 0 and lines[0].startswith("NOTICE: pip-audit could not check any")


def test_a_clean_report_passes():
    report = {"dependencies": [{"name": "django", "version": "6.0.0", "vulns": []}]}
    assert audit.verdict(report) == (0, ["pip-audit: 1 packages, no known vulnerability"])


def test_an_ignored_id_needs_a_reason():
    text = "# accepted\nGHSA-synthetic-1  only in the admin, which we do not expose\n"
    assert audit.read_ignores(text) == {
        "GHSA-synthetic-1": "only in the admin, which we do not expose"
    }
    with pytest.raises(audit.IgnoreFileError, match=r"pip-audit-ignore\.txt:2: GHSA-x has no"):
        audit.read_ignores("\nGHSA-x\n")


def test_the_ignore_file_in_the_repository_reads():
    audit.read_ignores(audit.IGNORE_FILE.read_text())
