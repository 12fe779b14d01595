"""The container files and the mail settings a deployment relies on, checked without Docker:
compose.yaml and .env.example name only settings Retning reads, the image's command is a
Retning command, and the SMTP variables reach Django's mail backend."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

from tests.core.test_deployment_security import production_env, retning

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "src" / "retning"


def variables_retning_reads() -> set[str]:
    """Every RETNING_* name (and DATABASE_URL) written as a string in Retning's source."""
    names = set()
    for path in SOURCE.rglob("*.py"):
        names |= set(re.findall(r"[\"'](RETNING_[A-Z0-9_]+|DATABASE_URL)[\"']", path.read_text()))
    return names


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_has_postgresql_web_and_worker(compose):
    services = compose["services"]
    assert set(services) == {"db", "web", "worker"}
    assert services["db"]["image"].startswith("postgres:")
    for name in ("web", "worker"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgresql://retning:")
        assert env["DATABASE_URL"].endswith("@db:5432/retning")
        assert services[name]["volumes"] == ["data:/data"]
        assert services[name]["depends_on"]["db"] == {"condition": "service_healthy"}


def test_compose_and_env_example_name_only_settings_retning_reads(compose):
    known = variables_retning_reads()
    assert {"RETNING_DATA_DIR", "DATABASE_URL", "RETNING_SMTP_STARTTLS"} <= known
    for name in ("web", "worker"):
        unknown = set(compose["services"][name]["environment"]) - known
        assert not unknown, f"compose.yaml, service {name}: {sorted(unknown)}"
    example = (ROOT / ".env.example").read_text()
    # commented-out lines count too: they are offered to be set
    names = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", example, re.MULTILINE))
    unknown = names - known - {"POSTGRES_PASSWORD"}  # compose's own, for the db service
    assert not unknown, f".env.example: {sorted(unknown)}"
    assert "RETNING_SMTP_PASSWORD" in names and "RETNING_TRUSTED_PROXIES" in names


def command_of(argv: list[str]) -> str:
    """`retning X …` (directly or after `sh -c`) → X."""
    if argv[:2] == ["sh", "-c"]:
        argv = argv[2].split("exec ", 1)[-1].split()
    assert argv[0] == "retning", argv
    return argv[1]


def test_the_images_command_is_retning_serve():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.12-slim$", dockerfile, re.MULTILINE)
    assert re.search(r"^USER retning$", dockerfile, re.MULTILINE)  # not root
    assert "libpango-1.0-0" in dockerfile and "libpangoft2-1.0-0" in dockerfile
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE).group(1))
    assert command_of(cmd) == "serve"
    assert get_commands()["serve"] == "retning.core"
    scripts = re.search(
        r"\[project\.scripts\]\n(.*?)\n\n", (ROOT / "pyproject.toml").read_text(), re.S
    )
    assert 'retning = "retning.cli:main"' in scripts.group(1)


@pytest.mark.parametrize("service", ["web", "worker"])
def test_compose_commands_are_retning_commands(compose, service):
    command = command_of(compose["services"][service]["command"])
    if command not in get_commands():
        pytest.skip(f"`retning {command}` is not part of this build")
    if service == "web":
        assert compose["services"][service]["command"][2].startswith("retning setup && ")


# --- outgoing mail --------------------------------------------------------------------------
MAILER = (
    "import django, os\n"
    "os.environ['DJANGO_SETTINGS_MODULE'] = 'retning.settings'\n"
    "django.setup()\n"
    "from django.core.mail import mailers\n"
    "b = mailers['default']\n"
    "print(type(b).__module__, b.host, b.port, b.username, b.password, b.use_tls, b.use_ssl,"
    " sep='|')\n"
)


def mailer(tmp_path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", MAILER],
        env=production_env(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_smtp_variables_reach_the_mail_backend(tmp_path):
    result = mailer(
        tmp_path,
        RETNING_SMTP_HOST="smtp.example.no",
        RETNING_SMTP_USER="retning@example.no",
        RETNING_SMTP_PASSWORD="syntetisk-passord",
        RETNING_SMTP_STARTTLS="true",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().split("|") == [
        "django.core.mail.backends.smtp",
        "smtp.example.no",
        "587",  # the submission port, with STARTTLS
        "retning@example.no",
        "syntetisk-passord",
        "True",
        "False",
    ]
    ssl = mailer(tmp_path, RETNING_SMTP_HOST="smtp.example.no", RETNING_SMTP_SSL="true")
    assert ssl.stdout.strip().split("|")[2:] == ["465", "", "", "False", "True"]
    plain = mailer(tmp_path, RETNING_SMTP_HOST="relay.example.no", RETNING_SMTP_PORT="2525")
    assert plain.stdout.strip().split("|")[1:] == [
        "relay.example.no",
        "2525",
        "",
        "",
        "False",
        "False",
    ]


def test_starttls_and_ssl_together_are_refused_by_name(tmp_path):
    result = mailer(
        tmp_path,
        RETNING_SMTP_HOST="smtp.example.no",
        RETNING_SMTP_STARTTLS="true",
        RETNING_SMTP_SSL="true",
    )
    assert result.returncode != 0
    assert "RETNING_SMTP_STARTTLS and RETNING_SMTP_SSL" in result.stderr


def test_check_deploy_is_clean_with_the_example_mail_settings(tmp_path):
    result = retning(
        "check",
        "--deploy",
        env=production_env(
            tmp_path,
            RETNING_SMTP_HOST="smtp.example.no",
            RETNING_SMTP_USER="retning@example.no",
            RETNING_SMTP_PASSWORD="syntetisk-passord",
            RETNING_SMTP_STARTTLS="true",
            RETNING_TRUSTED_PROXIES="172.16.0.0/12",
            RETNING_CSRF_TRUSTED_ORIGINS="https://retning.example.no",
        ),
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr
