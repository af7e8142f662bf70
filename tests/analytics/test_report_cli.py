"""analytics_report --json as a real process: the JSON document alone on stdout, under each settings module."""

import pytest

from tests.test_cli_output import run_json, workdir  # noqa: F401 (the module's migrated SQLite file)


@pytest.mark.parametrize("settings_module", ["config.settings.production", "config.settings.local"])
def test_report_json_alone_on_stdout(workdir, settings_module, monkeypatch, tmp_path):  # noqa: F811
    monkeypatch.setenv("ANALYTICS_CACHE_DIR", str(tmp_path / "analytics-cache"))
    data, _stderr = run_json(workdir, settings_module, "analytics_report", "--json")
    assert set(data) == {"issued", "accepted", "declined", "revoked", "expired", "shared", "verification_views",
                         "by_programme"}  # fmt: skip
    assert data["issued"] >= 1 and data["by_programme"] == []
