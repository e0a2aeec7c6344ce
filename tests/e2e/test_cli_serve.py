"""`ecomsearch serve` refuses the development SECRET_KEY beyond loopback, before it listens."""

import signal

import pytest

from entrypoints.cli import serve
from entrypoints.cli.main import main


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch, tmp_path) -> list[dict]:
    """What uvicorn was asked to run; nothing listens."""
    calls: list[dict] = []
    monkeypatch.setattr(serve.uvicorn, "run", lambda *args, **kwargs: calls.append(kwargs))
    monkeypatch.chdir(tmp_path)  # no developer .env is read
    for name in ("SECRET_KEY", "ALLOW_INSECURE", "SESSION_COOKIE_SECURE", "ECOMSEARCH_HOST"):
        monkeypatch.delenv(name, raising=False)
    return calls


def test_the_development_key_on_every_interface_does_not_start(started, capsys) -> None:
    assert main(["serve", "--host", "0.0.0.0"]) == 2
    assert started == []
    assert "refusing to serve on 0.0.0.0 with the development SECRET_KEY" in capsys.readouterr().err


def test_the_host_setting_counts_like_the_flag(started, monkeypatch, capsys) -> None:
    monkeypatch.setenv("ECOMSEARCH_HOST", "0.0.0.0")
    assert main(["serve"]) == 2 and started == []


def test_a_demo_may_opt_in_and_is_warned(started, monkeypatch, capsys) -> None:
    monkeypatch.setenv("ALLOW_INSECURE", "1")
    assert main(["serve", "--host", "0.0.0.0", "--port", "8123"]) == 0
    assert started[0]["host"] == "0.0.0.0" and started[0]["port"] == 8123
    err = capsys.readouterr().err
    assert "WARNING: serving on 0.0.0.0 with the development SECRET_KEY" in err
    assert "SESSION_COOKIE_SECURE" in err


def test_loopback_starts_as_before(started, capsys) -> None:
    assert main(["serve"]) == 0
    assert started[0]["host"] == "127.0.0.1"
    assert capsys.readouterr().err == ""


def test_the_grace_period_reaches_uvicorn_and_sigterm_is_left_as_it_was(started, monkeypatch) -> None:
    monkeypatch.setenv("SHUTDOWN_GRACE_SECONDS", "7")
    before = signal.getsignal(signal.SIGTERM)
    assert main(["serve"]) == 0
    assert started[0]["timeout_graceful_shutdown"] == 7
    assert started[0]["access_log"] is False  # the app writes its own access line
    assert signal.getsignal(signal.SIGTERM) is before
