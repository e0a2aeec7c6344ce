"""`ecomsearch user create-admin USERNAME`, `user revoke-admin USERNAME`, `user list [--admins]`."""

import argparse
import sys

from domain.identity.errors import UnknownUser
from entrypoints.cli.actor import cli_actor
from entrypoints.container import build_container, close_container
from entrypoints.settings import load_settings


async def _set_admin(username: str, grant: bool) -> int:
    container = build_container(load_settings())
    use_case = container.grant_admin() if grant else container.revoke_admin()
    try:
        user = await use_case(username, actor=cli_actor())
    except UnknownUser as exc:
        print(f"error: {exc}" + ("; sign up first, then run this again" if grant else ""), file=sys.stderr)
        return 1
    finally:
        await close_container(container)
    print(f"{user.username} is {'now' if grant else 'no longer'} an administrator")
    return 0


async def create_admin_command(args: argparse.Namespace) -> int:
    return await _set_admin(args.username, grant=True)


async def revoke_admin_command(args: argparse.Namespace) -> int:
    return await _set_admin(args.username, grant=False)


async def list_users_command(args: argparse.Namespace) -> int:
    container = build_container(load_settings())
    try:
        listed = await container.list_users()(args.admins)
    finally:
        await close_container(container)
    for user in listed:
        flag = "\tadmin" if user.is_admin and not args.admins else ""
        print(f"{user.username}\t{user.email or '-'}{flag}")
    return 0
