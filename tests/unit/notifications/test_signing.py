"""The signature a receiver checks: HMAC-SHA256 over `<timestamp>.<body>`, with a time tolerance."""

import hashlib
import hmac

from application.notifications.signing import SECRET_PREFIX, new_secret, signature, verify

SECRET = "whsec_test"
BODY = b'{"id":1,"event":"model.promoted","created_at":"2026-12-06T10:00:00Z","data":{}}'
T = 1_765_000_000


def test_the_header_carries_the_timestamp_and_the_hmac_of_timestamp_dot_body() -> None:
    expected = hmac.new(SECRET.encode(), f"{T}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert signature(SECRET, T, BODY) == f"t={T},v1={expected}"


def test_a_receiver_accepts_the_signed_body_within_the_tolerance_only() -> None:
    header = signature(SECRET, T, BODY)
    assert verify(SECRET, header, BODY, now=T)
    assert verify(SECRET, header, BODY, now=T + 300) and verify(SECRET, header, BODY, now=T - 300)
    assert not verify(SECRET, header, BODY, now=T + 301)  # a replay of an old delivery
    assert verify(SECRET, header, BODY, now=T + 3600, tolerance=3600)


def test_any_change_to_the_body_secret_or_timestamp_fails() -> None:
    header = signature(SECRET, T, BODY)
    assert not verify(SECRET, header, BODY.replace(b"promoted", b"promotee"), now=T)
    assert not verify("whsec_other", header, BODY, now=T)
    digest = header.split("v1=")[1]
    assert not verify(SECRET, f"t={T + 1},v1={digest}", BODY, now=T)  # moved timestamp


def test_malformed_headers_are_refused_and_extra_parts_ignored() -> None:
    good = signature(SECRET, T, BODY)
    for header in ("", "garbage", f"v1={good.split('v1=')[1]}", f"t=abc,{good.split(',')[1]}",
                   f"t={T},t={T},{good.split(',')[1]}", f"t=-{T},{good.split(',')[1]}"):  # fmt: skip
        assert not verify(SECRET, header, BODY, now=T), header
    assert verify(SECRET, f"{good},v2=something", BODY, now=T)
    assert verify(SECRET, f"t={T},v1=deadbeef,{good.split(',')[1]}", BODY, now=T)  # rotated secrets


def test_secrets_are_fresh_and_long() -> None:
    first, second = new_secret(), new_secret()
    assert first != second and first.startswith(SECRET_PREFIX)
    assert len(first) >= len(SECRET_PREFIX) + 40
