"""Who acts from the command line, as the audit log names them: `cli:<os user>` at `local`."""

import getpass

from domain.audit.model import LOCAL, Actor


def cli_actor() -> Actor:
    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no login name and no passwd entry (some containers)
        return Actor(name="cli", address=LOCAL)
    return Actor(name=f"cli:{user}", address=LOCAL)
