"""Mail templates: subject, text and HTML filled in, values escaped in the HTML, links encoded."""

import pytest

from application.mail.templates import compose, link, render


def test_verify_email_fills_every_part() -> None:
    url = "http://shop.example/verify-email?token=abc"
    subject, text, html = render("verify_email", {"username": "ada", "link": url, "expires_hours": 24})
    assert subject == "Confirm your email address for Ecomsearch"
    assert "Hello ada," in text and url in text and "valid for 24 hours" in text
    assert f'<a href="{url}">' in html and "valid for 24 hours" in html
    assert "$" not in text + html


def test_password_reset_says_how_long_once_and_to_ignore_it() -> None:
    url = link("https://shop.example", "/reset-password", "t0k")
    message = compose(
        "ada@example.com", "password_reset", {"username": "ada", "link": url, "expires_minutes": 30}
    )
    assert message.to == "ada@example.com"
    assert message.subject == "Reset your Ecomsearch password"
    for part in (message.text, message.html):
        assert url in part
        assert "valid for 30 minutes" in part and "works only once" in part
        assert "If you did not ask for a" in part


def test_values_are_escaped_in_html_only_and_kept_on_one_line_in_the_subject() -> None:
    name = '<script>alert("x")</script> & co'
    url = 'http://x/?a=1&b="2"'
    _, text, html = render("verify_email", {"username": name, "link": url, "expires_hours": 1})
    assert name in text and url in text
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in html
    assert 'href="http://x/?a=1&amp;b=&quot;2&quot;"' in html


def test_a_missing_value_or_unknown_template_is_an_error() -> None:
    with pytest.raises(KeyError):
        render("verify_email", {"username": "ada", "link": "http://x"})
    with pytest.raises(ValueError, match="no mail template"):
        render("welcome_back", {})
    with pytest.raises(ValueError, match="bad mail template name"):
        render("../templates/verify_email", {})


@pytest.mark.parametrize(
    ("base", "path", "token", "expected"),
    [
        ("http://127.0.0.1:8000", "/verify-email", "abc", "http://127.0.0.1:8000/verify-email?token=abc"),
        (
            "https://shop.example/",
            "verify-email",
            "a+b/c=",
            "https://shop.example/verify-email?token=a%2Bb%2Fc%3D",
        ),
        (
            "https://shop.example/app",
            "/reset-password",
            "x y&z",
            "https://shop.example/app/reset-password?token=x%20y%26z",
        ),
    ],
)
def test_link_encodes_the_token_and_keeps_the_base_path(
    base: str, path: str, token: str, expected: str
) -> None:
    assert link(base, path, token) == expected
