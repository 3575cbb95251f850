"""The deployment files agree with the repository and with each other: the systemd units are hardened, start
programs that exist where the guide installs them and load every key production needs; the example settings
name only settings Pathways reads; gunicorn, Caddy and the units expect the same addresses and times.
These run in the normal suite: they need no server."""
import configparser
import os
import re
import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
INSTALLED_AT = "/opt/pathways"  # where docs/deploying.md clones the repository
SERVICES = sorted((DEPLOY / "systemd").glob("pathways-*.service"))
KEY_SETTINGS = {"secret_key": "PATHWAYS_SECRET_KEY", "field_keys": "PATHWAYS_FIELD_KEYS",
                "access_log_keys": "PATHWAYS_ACCESS_LOG_KEYS"}
HARDENING = {
    "ProtectSystem": "strict", "ProtectHome": "yes", "PrivateTmp": "yes", "PrivateDevices": "yes",
    "NoNewPrivileges": "yes", "CapabilityBoundingSet": "", "SystemCallFilter": "@system-service",
    "RestrictAddressFamilies": "AF_UNIX AF_INET AF_INET6", "UMask": "0077", "User": "pathways",
    "EnvironmentFile": "/etc/pathways/pathways.env",
}


class RepeatedKeys(dict):
    """configparser's section dict, keeping every value of a key given on several lines (as systemd does)."""

    def __setitem__(self, key, value):
        if isinstance(value, list) and key in self:
            self[key].extend(value)
        else:
            super().__setitem__(key, value)


def unit(path: Path) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=False, dict_type=RepeatedKeys, interpolation=None)
    parser.optionxform = str  # systemd's keys are case-sensitive
    parser.read(path)
    return parser


def values(parser, key: str) -> list[str]:
    return parser["Service"].get(key, "").splitlines() if parser.has_option("Service", key) else []


def test_there_is_a_unit_for_the_web_server_the_worker_and_the_backup():
    assert {path.name for path in SERVICES} == {"pathways-web.service", "pathways-worker.service",
                                                "pathways-backup.service"}
    assert (DEPLOY / "systemd" / "pathways-backup.timer").exists()


@pytest.mark.parametrize("path", SERVICES, ids=lambda path: path.name)
def test_each_service_is_hardened(path):
    service = unit(path)["Service"]
    for key, expected in HARDENING.items():
        assert service.get(key) == expected, f"{path.name}: {key}={service.get(key)!r}, expected {expected!r}"
    assert service.get("Restart") in {"always", "on-failure"} or service.get("Type") == "oneshot"


@pytest.mark.parametrize("path", SERVICES, ids=lambda path: path.name)
def test_each_service_starts_programs_that_exist_where_the_guide_installs_them(path):
    service = unit(path)
    commands = values(service, "ExecStart") + values(service, "ExecReload")
    installed = [word for command in commands for word in command.split() if word.startswith(INSTALLED_AT)]
    assert installed, f"{path.name} starts nothing from {INSTALLED_AT}"
    for word in installed:
        in_repository = ROOT / word.removeprefix(INSTALLED_AT + "/")
        assert in_repository.exists(), f"{path.name} names {word}, but there is no {in_repository}"
    program = ROOT / values(service, "ExecStart")[0].split()[0].removeprefix(INSTALLED_AT + "/")
    assert os.access(program, os.X_OK), f"{program} is not executable"


@pytest.mark.parametrize("path", SERVICES, ids=lambda path: path.name)
def test_each_service_gets_every_key_as_a_credential_read_through_its_file_setting(path):
    service = unit(path)
    credentials = dict(line.split(":", 1) for line in values(service, "LoadCredential"))
    environment = dict(line.split("=", 1) for line in values(service, "Environment"))

    assert credentials == {name: f"/etc/pathways/keys/{name}" for name in KEY_SETTINGS}
    for name, setting in KEY_SETTINGS.items():
        assert environment[f"{setting}_FILE"] == f"%d/{name}"


def test_the_example_settings_name_only_settings_pathways_reads():
    read_by_pathways = (ROOT / "src" / "pathways" / "config" / "settings.py").read_text() + "".join(
        script.read_text() for script in DEPLOY.glob("*.sh"))
    example = (DEPLOY / "pathways.env.example").read_text()
    names = re.findall(r"^([A-Z_]+)=", example, flags=re.MULTILINE)

    assert "PATHWAYS_ENV" in names
    assert not set(names) & set(KEY_SETTINGS.values()), "keys belong in /etc/pathways/keys/, not the settings file"
    for name in names:
        # settings.py reads env_str("NAME"); a script reads ${NAME:-default}
        assert f'"{name}"' in read_by_pathways or f"{{{name}" in read_by_pathways, \
            f"{name} in pathways.env.example is read by nothing"


def test_gunicorn_caddy_and_the_units_expect_the_same_address_and_times(monkeypatch):
    monkeypatch.delenv("PATHWAYS_WEB_BIND", raising=False)
    gunicorn = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    upstream = re.search(r"reverse_proxy \{\$PATHWAYS_UPSTREAM:([^}]+)\}", (DEPLOY / "site.caddy").read_text())
    web = unit(DEPLOY / "systemd" / "pathways-web.service")["Service"]

    assert gunicorn["bind"] == [upstream.group(1)]
    # systemd waits for gunicorn's graceful stop before it kills anything.
    assert int(web["TimeoutStopSec"]) > gunicorn["graceful_timeout"]
    assert gunicorn["accesslog"] == "-" and "%(U)s" in gunicorn["access_log_format"]
    assert not re.search(r"%\((r|q|f)\)s", gunicorn["access_log_format"])  # no query string, no Referer


def test_caddy_serves_static_files_from_where_the_settings_collect_them():
    static_default = re.search(r"root \* \{\$PATHWAYS_STATIC_ROOT:([^}]+)\}", (DEPLOY / "site.caddy").read_text())
    example = (DEPLOY / "pathways.env.example").read_text()

    assert f"PATHWAYS_STATIC_ROOT={static_default.group(1)}\n" in example


def test_the_guide_covers_every_file_the_units_read():
    guide = (ROOT / "docs" / "deploying.md").read_text()
    for path in ("/etc/pathways/pathways.env", "/etc/pathways/caddy.env", "/etc/pathways/keys",
                 "/var/backups/pathways", "/var/lib/pathways/static"):
        assert path in guide, f"docs/deploying.md never mentions {path}"
    for name in KEY_SETTINGS:
        assert f"> {name}\n" in guide, f"docs/deploying.md never says how to make the key file {name}"
    for name in ("pathways-web.service", "pathways-worker.service", "pathways-backup.timer", "caddy.service.d"):
        assert name in guide
