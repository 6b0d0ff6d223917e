"""The PostgreSQL deployment example: its config loads, and its compose file has a
database, two workers sharing it, and a reverse proxy in front of both."""

from __future__ import annotations

from pathlib import Path

import yaml

from core.config import load_settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def test_the_workers_config_loads_in_webhook_mode_on_postgres():
    settings = load_settings(
        DEPLOY / "postgres.toml",
        environ={
            "LINGKAR_TELEGRAM_TOKEN": "123456:ABCdef",
            "LINGKAR_WEBHOOK_SECRET": "s3cret-value",
            "LINGKAR_DATABASE_URL": "postgresql://lingkar:pw@postgres:5432/lingkar",
        },
    )
    assert settings.telegram.mode == "webhook"
    assert settings.storage.location == "postgresql://lingkar:pw@postgres:5432/lingkar"
    assert "pw" not in repr(settings)  # the URL holds the password: never printed


def test_the_compose_file_runs_two_workers_on_one_database_behind_a_proxy():
    compose = yaml.safe_load((DEPLOY / "compose.postgres.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    workers = [s for name, s in services.items() if name.startswith("lingkar-")]
    assert len(workers) == 2
    for worker in workers:
        assert "@postgres:5432/" in worker["environment"]["LINGKAR_DATABASE_URL"]
        assert worker["depends_on"]["postgres"]["condition"] == "service_healthy"
    caddyfile = (DEPLOY / "Caddyfile.postgres").read_text(encoding="utf-8")
    assert "lingkar-1:8443 lingkar-2:8443" in caddyfile
    assert services["postgres"]["image"].startswith("postgres:")
