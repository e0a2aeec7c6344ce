"""The 10,000 most common passwords, to refuse at signup and on password change.

The list is the `passwords` frequency list shipped by the `zxcvbn` package (zxcvbn-python,
MIT licence; the list was compiled by Dropbox's zxcvbn from Mark Burnett's leaked-password
corpus, most common first, lower case). It is read from the installed package at start-up rather
than copied into this repository. COMMON_PASSWORDS_FILE may point at another list instead (one
password a line, most common first).
"""

from pathlib import Path

DEFAULT_SIZE = 10_000


def load_common_passwords(path: str | None = None, size: int = DEFAULT_SIZE) -> frozenset[str]:
    if path:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
        entries = [line.strip() for line in lines if line.strip()]
    else:
        from zxcvbn.frequency_lists import FREQUENCY_LISTS

        entries = list(FREQUENCY_LISTS["passwords"])
    return frozenset(entry.lower() for entry in entries[:size])
