"""The one error base: a code, a kind and the field at fault on every error the domain names."""

import importlib
import pkgutil

import pytest

import application
import domain
from domain.catalog.errors import ProductNotFound
from domain.errors import DomainError, ErrorKind, InvalidValue
from domain.identity.errors import TooManyAttempts, UsernameTaken


def all_domain_errors() -> list[type[DomainError]]:
    """Every DomainError subclass in the domain and application layers (their errors modules loaded)."""
    for package in (domain, application):
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if module.name.endswith(".errors"):
                importlib.import_module(module.name)
    found: list[type[DomainError]] = []
    pending = [DomainError]
    while pending:
        for sub in pending.pop().__subclasses__():
            found.append(sub)
            pending.append(sub)
    return found


class Broken(DomainError):
    code = "broken"
    kind = ErrorKind.INVALID


def test_the_base_carries_message_field_and_details() -> None:
    error = Broken("price must be a number", field="price")
    assert str(error) == "price must be a number"
    assert (error.code, error.kind, error.field) == ("broken", ErrorKind.INVALID, "price")
    assert error.details() == {"field": "price"}
    assert error.retry_after_seconds is None
    assert Broken("no field").details() is None


def test_an_invalid_value_names_its_field_twice_as_request_validation_does() -> None:
    error = InvalidValue("quantity must be positive", field="quantity")
    assert error.code == "validation_error" and error.kind is ErrorKind.INVALID
    assert error.details() == {"field": "quantity", "fields": ["quantity"]}


def test_errors_keep_what_callers_read() -> None:
    missing = ProductNotFound("S1")
    assert str(missing) == "no product with sku 'S1'" and missing.details() == {"sku": "S1"}
    wait = TooManyAttempts(30)
    assert wait.retry_after_seconds == 30 and wait.details() == {"retry_after": 30}
    assert UsernameTaken("email").code == "email_taken" and UsernameTaken().code == "username_taken"
    assert set(UsernameTaken.codes()) == {"username_taken", "email_taken"}


@pytest.mark.parametrize(
    "error", [e for e in all_domain_errors() if e is not Broken], ids=lambda e: e.__name__
)
def test_every_error_has_a_code_and_a_kind(error: type[DomainError]) -> None:
    assert isinstance(error.kind, ErrorKind)
    assert error.codes() and all(isinstance(c, str) and c for c in error.codes())
    assert error.__module__.endswith(".errors"), "errors live in their module's errors.py"


def test_errors_are_not_builtin_value_or_lookup_errors() -> None:
    # Callers catch the domain error they mean, not a ValueError that a bug could raise too.
    for error in all_domain_errors():
        assert not issubclass(error, ValueError | LookupError | PermissionError | RuntimeError)
