"""Mail templates: a named message rendered to a subject, a plain-text and an HTML body.

Each template is two files in `templates/`: `<name>.txt` (first line `Subject: ...`, a blank
line, then the text body) and `<name>.html`. Values fill `$name` placeholders (string.Template);
in the HTML body they are HTML-escaped. A missing value is an error, not an empty hole.
"""

import html
import re
from collections.abc import Mapping
from functools import cache
from importlib import resources
from string import Template
from urllib.parse import quote

from application.mail.ports import MailMessage

_NAME = re.compile(r"[a-z][a-z_]{0,60}")


@cache
def _load(name: str) -> tuple[Template, Template, Template]:
    if not _NAME.fullmatch(name):
        raise ValueError(f"bad mail template name {name!r}")
    folder = resources.files("application.mail") / "templates"
    try:
        text = (folder / f"{name}.txt").read_text(encoding="utf-8")
        markup = (folder / f"{name}.html").read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ValueError(f"no mail template {name!r}") from exc
    head, _, body = text.partition("\n\n")
    if not head.startswith("Subject: "):
        raise ValueError(f"mail template {name!r} must start with a Subject: line")
    return Template(head.removeprefix("Subject: ").strip()), Template(body), Template(markup)


def render(name: str, values: Mapping[str, object]) -> tuple[str, str, str]:
    """The template `name` filled with `values`: (subject, text, html)."""
    subject, text, markup = _load(name)
    plain = {key: str(value) for key, value in values.items()}
    escaped = {key: html.escape(value, quote=True) for key, value in plain.items()}
    # A header holds one line: a value with a line break must not add headers.
    one_line = {key: " ".join(value.split()) for key, value in plain.items()}
    return subject.substitute(one_line), text.substitute(plain), markup.substitute(escaped)


def compose(to: str, name: str, values: Mapping[str, object]) -> MailMessage:
    subject, text, markup = render(name, values)
    return MailMessage(to=to, subject=subject, text=text, html=markup)


def link(base_url: str, path: str, token: str) -> str:
    """`{base_url}/{path}?token=...`, the token percent-encoded (a base URL's own path is kept)."""
    return f"{base_url.rstrip('/')}/{path.lstrip('/')}?token={quote(token, safe='')}"
