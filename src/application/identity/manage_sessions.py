"""A user's view of their own sessions: list them, end one, end them all."""

from application.identity.dto import SessionInfo
from application.identity.sessions import Sessions
from domain.identity.model import User


class ListSessions:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    async def __call__(self, user: User, current_token: str | None) -> list[SessionInfo]:
        return await self._sessions.listed(user.id, current_token)


class EndSession:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    async def __call__(self, user: User, session_id: str) -> None:
        await self._sessions.end_by_id(user.id, session_id)


class LogoutEverywhere:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    async def __call__(self, user: User) -> None:
        await self._sessions.end_all(user.id)
