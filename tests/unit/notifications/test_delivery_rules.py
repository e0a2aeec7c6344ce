"""Backoff, allowed hosts and the URLs a webhook may have."""

import pytest

from application.notifications.delivery_config import WebhookDelivery
from application.notifications.urls import host_of, url_problem


def test_retries_wait_30_s_doubling_up_to_the_cap_then_give_up() -> None:
    config = WebhookDelivery(retry_seconds=30, max_retry_seconds=200, max_attempts=6)
    assert [config.retry_delay(n) for n in range(1, 7)] == [30, 60, 120, 200, 200, None]
    assert WebhookDelivery().retry_delay(WebhookDelivery().max_attempts) is None


def test_allowed_hosts_when_listed_and_any_host_otherwise() -> None:
    assert WebhookDelivery().allows("hooks.example.com")
    limited = WebhookDelivery(allowed_hosts=("127.0.0.1", "Hooks.Example.com"))
    assert limited.allows("hooks.example.com") and limited.allows("127.0.0.1")
    assert not limited.allows("example.com")


@pytest.mark.parametrize(
    "url", ["https://hooks.example.com/ecomsearch", "http://127.0.0.1:8080/in?x=1", "https://[::1]/h"]
)
def test_good_urls(url: str) -> None:
    assert url_problem(url) is None


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("", "1 to"),
        ("ftp://example.com/", "http"),
        ("example.com/hook", "http"),
        ("https:///path", "host"),
        ("https://user:pw@example.com/", "credentials"),
        ("https://example.com/a b", "spaces"),
        ("https://exämple.com/", "ASCII"),
        ("https://example.com:99999/", "valid"),
        ("https://example.com/" + "a" * 2000, "1 to"),
    ],
)
def test_bad_urls_say_why(url: str, words: str) -> None:
    problem = url_problem(url)
    assert problem is not None and words in problem


def test_host_of() -> None:
    assert host_of("https://Hooks.Example.com:8443/x") == "hooks.example.com"
