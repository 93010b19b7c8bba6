"""kg.config: one settings class, read from KG_* and from flags; the only module of kg/ that touches os.environ."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg.config import ConfigError, Settings, child_environment

ROOT = Path(__file__).resolve().parents[1]


def test_the_environment_and_the_flags_make_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_SERVICE_ALLOW", "a.example, b.example")
    monkeypatch.setenv("KG_MAX_BODY", "2000")
    monkeypatch.setenv("KG_UNION_DEFAULT_GRAPH", "no")
    monkeypatch.setenv("KG_QUERY_TIMEOUT", "")  # empty is unset
    settings = Settings(store=Path("elsewhere"))
    assert settings.service_allow == ("a.example", "b.example")
    assert settings.max_body_bytes == 2000 and settings.union_default_graph is False
    assert settings.query_timeout == 30.0 and settings.store == Path("elsewhere")


@pytest.mark.parametrize(("name", "value"), [("KG_QUERY_TIMEOUT", "soon"), ("KG_MAX_BODY", "10 MB"),
                                             ("KG_UNION_DEFAULT_GRAPH", "perhaps")])
def test_a_bad_value_is_one_line_naming_the_variable(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as raised:
        Settings()
    assert str(raised.value).startswith(f"Config {name}={value!r} is not valid: ") and "\n" not in str(raised.value)


def test_the_cli_reports_a_bad_value_without_a_traceback(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "kg.cli", "stats", "--store", str(tmp_path / "none")],
                          capture_output=True, text=True, timeout=120, env={"KG_MAX_ROWS": "many", "PATH": ""})
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "KG_MAX_ROWS='many'" in done.stderr


def test_a_child_gets_the_settings_and_not_the_parents_kg_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_UPDATE_TOKEN", "the parent's")
    monkeypatch.setenv("KG_MAX_ROWS", "7")
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    settings = Settings(update_token=None, cors_origins=("https://a.example",), store=Path("s"))
    env = child_environment(settings)
    assert "KG_UPDATE_TOKEN" not in env and env["KG_MAX_ROWS"] == "7" and env["MALLOC_ARENA_MAX"] == "1"
    for key in [k for k in env if k.startswith("KG_")]:
        monkeypatch.setenv(key, env[key])
    monkeypatch.delenv("KG_UPDATE_TOKEN")
    assert Settings() == settings  # what the child reads back


def test_only_the_settings_module_touches_os_environ() -> None:
    readers = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "kg").rglob("*.py")
                     if re.search(r"os\.environ|os\.getenv|putenv", path.read_text(encoding="utf-8")))
    assert readers == ["kg/config.py"]
