"""Signup, login, logout, the current user, password change, and the user's own sessions."""

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.params import Body, FromPath
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from application.identity.dto import Authenticated
from application.identity.manage_accounts import ChangePassword, Login, Logout, Signup
from application.identity.manage_sessions import EndSession, ListSessions, LogoutEverywhere
from domain.experiments.assignment import assign_arm, user_visitor_id
from domain.identity.errors import (
    InvalidField,
    InvalidLogin,
    NotAuthenticated,
    SessionNotFound,
    TooManyAttempts,
    UsernameTaken,
)
from entrypoints.http.access import require_user
from entrypoints.http.dependencies import from_container
from entrypoints.http.errors import error_responses
from entrypoints.http.key_access import PERSON, scope
from entrypoints.http.schemas import AuthOut, SessionsOut, UserOut, user_out
from entrypoints.http.visitor import (
    Visitor,
    client_address,
    csrf_cookie,
    expired_cookies,
    session_cookie,
)
from entrypoints.settings import Settings

# Longer than any password the rules accept, short enough to refuse a flood before hashing.
Password = Annotated[str, msgspec.Meta(max_length=1024)]
Name = Annotated[str, msgspec.Meta(max_length=254)]


class SignupIn(msgspec.Struct):
    username: Name
    password: Password
    email: Name | None = None


class LoginIn(msgspec.Struct):
    username: Name
    password: Password


class ChangePasswordIn(msgspec.Struct):
    current_password: Password
    new_password: Password


def _logged_in(settings: Settings, status: int, result: Authenticated) -> Response[AuthOut]:
    group = assign_arm(user_visitor_id(result.user.id), settings.experiment)
    max_age = int(settings.sessions.absolute.total_seconds())
    secure = settings.session_cookie_secure
    return Response(
        AuthOut(user=user_out(result.user, group), token=result.token),
        status_code=status,
        cookies=[
            session_cookie(result.token, max_age, secure),
            csrf_cookie(result.token, settings.secret_key, max_age, secure),
        ],
    )


def user_agent(request: Request[Any, Any, Any]) -> str | None:
    return request.headers.get("user-agent") or None


class AuthController(Controller):
    opt = scope(PERSON)
    path = "/api/auth"
    tags = ["accounts"]  # noqa: RUF012
    dependencies = from_container(
        "signup",
        "login",
        "logout",
        "change_password",
        "list_sessions",
        "end_session",
        "logout_everywhere",
        "settings",
    )

    @post(
        "/signup",
        summary="Create an account and log in",
        status_code=HTTP_201_CREATED,
        responses=error_responses(InvalidField, UsernameTaken, TooManyAttempts),
    )
    async def signup(
        self,
        request: Request[Any, Any, Any],
        settings: NamedDependency[Settings],
        signup: NamedDependency[Signup],
        data: Annotated[SignupIn, Body()],
    ) -> Response[AuthOut]:
        address = client_address(request, settings.trust_forwarded_for)
        result = await signup(
            data.username, data.password, data.email, client_address=address, user_agent=user_agent(request)
        )
        return _logged_in(settings, HTTP_201_CREATED, result)

    @post(
        "/login",
        summary="Log in with username or email",
        status_code=HTTP_200_OK,
        responses=error_responses(InvalidField, InvalidLogin, TooManyAttempts),
    )
    async def login(
        self,
        request: Request[Any, Any, Any],
        settings: NamedDependency[Settings],
        login: NamedDependency[Login],
        data: Annotated[LoginIn, Body()],
    ) -> Response[AuthOut]:
        address = client_address(request, settings.trust_forwarded_for)
        result = await login(data.username, data.password, address, user_agent(request))
        return _logged_in(settings, HTTP_200_OK, result)

    @post(
        "/logout",
        summary="End this session everywhere",
        status_code=HTTP_204_NO_CONTENT,
        responses=error_responses(NotAuthenticated, malformed=False),
    )
    async def logout(
        self, visitor: NamedDependency[Visitor], logout: NamedDependency[Logout]
    ) -> Response[None]:
        require_user(visitor)
        assert visitor.token is not None
        await logout(visitor.token)
        return Response(None, status_code=HTTP_204_NO_CONTENT, cookies=expired_cookies())

    @get("/me", summary="The logged-in user", responses=error_responses(NotAuthenticated, malformed=False))
    async def me(self, visitor: NamedDependency[Visitor]) -> dict[str, UserOut]:
        return {"user": user_out(require_user(visitor), visitor.arm)}

    @post(
        "/password",
        summary="Change the password; every other session ends",
        status_code=HTTP_204_NO_CONTENT,
        responses=error_responses(NotAuthenticated, InvalidField, TooManyAttempts),
    )
    async def change_password(
        self,
        visitor: NamedDependency[Visitor],
        change_password: NamedDependency[ChangePassword],
        data: Annotated[ChangePasswordIn, Body()],
    ) -> Response[None]:
        user = require_user(visitor)
        assert visitor.token is not None
        await change_password(user, data.current_password, data.new_password, visitor.token)
        return Response(None, status_code=HTTP_204_NO_CONTENT)

    @get(
        "/sessions",
        summary="Your sessions, newest first; `current` marks this one",
        responses=error_responses(NotAuthenticated, malformed=False),
    )
    async def sessions(
        self, visitor: NamedDependency[Visitor], list_sessions: NamedDependency[ListSessions]
    ) -> SessionsOut:
        return SessionsOut(sessions=await list_sessions(require_user(visitor), visitor.token))

    @delete(
        "/sessions/{session_id:str}",
        summary="End one of your sessions",
        status_code=HTTP_204_NO_CONTENT,
        responses=error_responses(NotAuthenticated, SessionNotFound),
    )
    async def end_session(
        self,
        visitor: NamedDependency[Visitor],
        end_session: NamedDependency[EndSession],
        session_id: FromPath[str],
    ) -> Response[None]:
        await end_session(require_user(visitor), session_id)
        return Response(None, status_code=HTTP_204_NO_CONTENT)

    @post(
        "/logout-everywhere",
        summary="End every session of yours, this one included",
        status_code=HTTP_204_NO_CONTENT,
        responses=error_responses(NotAuthenticated, malformed=False),
    )
    async def logout_everywhere(
        self, visitor: NamedDependency[Visitor], logout_everywhere: NamedDependency[LogoutEverywhere]
    ) -> Response[None]:
        await logout_everywhere(require_user(visitor))
        return Response(None, status_code=HTTP_204_NO_CONTENT, cookies=expired_cookies())
