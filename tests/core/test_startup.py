"""Start-up stays light: the URL configuration and every `retning` command import no heavy
library until it is used (bench/startup.py measures the time)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

HEAVY = [
    "sklearn",
    "scipy",
    "numpy",
    "matplotlib",
    "weasyprint",
    "docx",
    "openpyxl",
    "pypdf",
    "odf",
    "odfdo",
    "imap_tools",
]

PROBE = """
import json, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "retning.settings"
import django
django.setup()
from django.core.management import get_commands, load_command_class
from django.urls import get_resolver
get_resolver().url_patterns
ours = sorted(n for n, app in get_commands().items() if app.startswith(("retning", "django_tasks")))
for name in ours:
    load_command_class(get_commands()[name], name)
print(json.dumps({"commands": ours, "loaded": sorted(m for m in HEAVY if m in sys.modules)}))
"""


def test_urls_and_commands_import_no_heavy_library(tmp_path):
    env = {**os.environ, "RETNING_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", f"HEAVY = {HEAVY!r}\n{PROBE}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.splitlines()[-1])
    assert {"refresh", "analyse", "report", "worker", "backup"} <= set(found["commands"])
    assert found["loaded"] == []
