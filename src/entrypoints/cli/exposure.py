"""What `ecomsearch serve` checks before it listens beyond this machine.

On a loopback address (the default 127.0.0.1) anything goes: only this machine can connect. On
any other address, the development SECRET_KEY is refused (it is published with the source, so
what it signs protects nothing), unless ALLOW_INSECURE says the shop is a throwaway demo; and
cookies that are not `Secure` are warned about (a shop behind a TLS-terminating proxy sets
SESSION_COOKIE_SECURE; a plain-HTTP one sends sessions in the clear).
"""

import ipaddress
from dataclasses import dataclass, field

from entrypoints.settings import DEV_SECRET_KEY, Settings


@dataclass(frozen=True)
class Exposure:
    refusal: str | None = None  # why `serve` must not start
    warnings: list[str] = field(default_factory=list)


def is_loopback(host: str) -> bool:
    name = host.strip().strip("[]").lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False  # a host name or an empty host (every interface) may be reached from outside


def check_exposure(settings: Settings, host: str) -> Exposure:
    if is_loopback(host):
        return Exposure()
    refusal = None
    warnings = []
    if settings.secret_key == DEV_SECRET_KEY:
        if settings.allow_insecure:
            warnings.append(
                f"serving on {host} with the development SECRET_KEY (ALLOW_INSECURE is set): it is "
                "published with the source, so what it signs protects nothing; never do this with "
                "real shoppers"
            )
        else:
            refusal = (
                f"refusing to serve on {host} with the development SECRET_KEY: set SECRET_KEY to a long "
                "random value (e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`), "
                "serve on 127.0.0.1, or set ALLOW_INSECURE=1 for a throwaway demo"
            )
    if not settings.session_cookie_secure:
        warnings.append(
            f"serving on {host} with cookies that are not Secure: sessions travel in the clear over "
            "plain HTTP; serve behind HTTPS and set SESSION_COOKIE_SECURE=true"
        )
    return Exposure(refusal=refusal, warnings=warnings)
