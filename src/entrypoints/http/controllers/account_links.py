"""What the mailed links lead to: email verification and password reset."""

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, post
from litestar.background_tasks import BackgroundTask
from litestar.di import NamedDependency
from litestar.params import Body
from litestar.status_codes import HTTP_200_OK, HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from application.identity.password_reset import RequestPasswordReset, ResetPassword
from application.identity.verify_email import ResendVerification, VerifyEmail
from domain.experiments.assignment import assign_arm, user_visitor_id
from domain.identity.errors import (
    InvalidField,
    InvalidToken,
    NotAuthenticated,
    NothingToVerify,
    TooManyAttempts,
)
from entrypoints.http.access import require_user
from entrypoints.http.controllers.auth import Name, Password
from entrypoints.http.dependencies import from_container
from entrypoints.http.errors import error_responses
from entrypoints.http.key_access import PERSON, scope
from entrypoints.http.schemas import UserOut, user_out
from entrypoints.http.visitor import Visitor, client_address
from entrypoints.settings import Settings

Token = Annotated[str, msgspec.Meta(max_length=200)]


class TokenIn(msgspec.Struct):
    token: Token


class ResetRequestIn(msgspec.Struct):
    email: Name


class ResetIn(msgspec.Struct):
    token: Token
    new_password: Password


class Accepted(msgspec.Struct):
    status: str = "accepted"
    message: str = ""


RESET_ACCEPTED = Accepted(
    message="If an account uses this address, a link to reset its password is on its way."
)
RESEND_ACCEPTED = Accepted(message="A new verification link is on its way.")


class AccountLinksController(Controller):
    opt = scope(PERSON)
    path = "/api/auth"
    tags = ["accounts"]  # noqa: RUF012
    dependencies = from_container(
        "verify_email", "resend_verification", "request_password_reset", "reset_password", "settings"
    )

    @post(
        "/verify-email",
        summary="Verify the email address with the mailed token",
        status_code=HTTP_200_OK,
        responses=error_responses(InvalidToken),
    )
    async def verify(
        self,
        settings: NamedDependency[Settings],
        verify_email: NamedDependency[VerifyEmail],
        data: Annotated[TokenIn, Body()],
    ) -> dict[str, UserOut]:
        # No login needed: the link may be opened on another device than the one signed up on.
        user = await verify_email(data.token)
        return {"user": user_out(user, assign_arm(user_visitor_id(user.id), settings.experiment))}

    @post(
        "/verify-email/resend",
        summary="Mail a new verification link (rate-limited)",
        status_code=HTTP_202_ACCEPTED,
        responses=error_responses(NotAuthenticated, NothingToVerify, TooManyAttempts, malformed=False),
    )
    async def resend(
        self, visitor: NamedDependency[Visitor], resend_verification: NamedDependency[ResendVerification]
    ) -> Accepted:
        await resend_verification(require_user(visitor))
        return RESEND_ACCEPTED

    @post(
        "/password-reset",
        summary="Mail a password-reset link; the same answer whether or not the address is known",
        status_code=HTTP_202_ACCEPTED,
        responses=error_responses(InvalidField, TooManyAttempts),
    )
    async def request_reset(
        self,
        request: Request[Any, Any, Any],
        settings: NamedDependency[Settings],
        request_password_reset: NamedDependency[RequestPasswordReset],
        data: Annotated[ResetRequestIn, Body()],
    ) -> Response[Accepted]:
        address = await request_password_reset(
            data.email, client_address(request, settings.trust_forwarded_for)
        )
        # Who holds the address is looked up after the answer has gone: known and unknown
        # addresses answer alike, in the same time.
        return Response(
            RESET_ACCEPTED,
            status_code=HTTP_202_ACCEPTED,
            background=BackgroundTask(request_password_reset.deliver, address),
        )

    @post(
        "/password-reset/confirm",
        summary="Set a new password with the mailed token; every session of the account ends",
        status_code=HTTP_204_NO_CONTENT,
        responses=error_responses(InvalidToken, InvalidField),
    )
    async def confirm_reset(
        self, reset_password: NamedDependency[ResetPassword], data: Annotated[ResetIn, Body()]
    ) -> None:
        await reset_password(data.token, data.new_password)
