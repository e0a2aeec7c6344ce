"""`serve` beyond loopback: the development SECRET_KEY is refused, cookies that are not Secure warned."""

import os
from pathlib import Path

import pytest

from entrypoints.cli.exposure import check_exposure, is_loopback
from entrypoints.settings import load_settings

REAL_KEY = "k" * 48


def settings(**env: str):
    return load_settings(env, dotenv=Path(os.devnull))


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.53", "::1", "[::1]", "localhost", "LOCALHOST."])
def test_loopback_addresses(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize(
    "host", ["0.0.0.0", "::", "", "192.168.1.10", "shop.example.com", "localhost.example"]
)
def test_addresses_others_can_reach(host: str) -> None:
    assert not is_loopback(host)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_on_loopback_nothing_changes(host: str) -> None:
    exposure = check_exposure(settings(), host)
    assert exposure.refusal is None and exposure.warnings == []


def test_the_development_key_is_refused_beyond_loopback() -> None:
    exposure = check_exposure(settings(SESSION_COOKIE_SECURE="true"), "0.0.0.0")
    assert exposure.refusal is not None
    assert "SECRET_KEY" in exposure.refusal and "ALLOW_INSECURE" in exposure.refusal
    assert exposure.warnings == []


def test_allow_insecure_turns_the_refusal_into_a_warning() -> None:
    exposure = check_exposure(settings(ALLOW_INSECURE="1", SESSION_COOKIE_SECURE="true"), "0.0.0.0")
    assert exposure.refusal is None
    [warning] = exposure.warnings
    assert "development SECRET_KEY" in warning


def test_cookies_that_are_not_secure_are_warned_about() -> None:
    exposure = check_exposure(settings(SECRET_KEY=REAL_KEY), "shop.example.com")
    assert exposure.refusal is None
    [warning] = exposure.warnings
    assert "SESSION_COOKIE_SECURE" in warning


def test_a_real_key_and_secure_cookies_start_quietly() -> None:
    exposure = check_exposure(settings(SECRET_KEY=REAL_KEY, SESSION_COOKIE_SECURE="true"), "0.0.0.0")
    assert exposure.refusal is None and exposure.warnings == []
