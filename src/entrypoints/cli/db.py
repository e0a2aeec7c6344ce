import argparse
from pathlib import Path

from alembic import command
from alembic.config import Config

from entrypoints.settings import load_settings

PROJECT_ROOT = Path(__file__).resolve().parents[3]


def alembic_config(url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.attributes["url"] = url
    config.attributes["configure_logger"] = False
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def upgrade_command(args: argparse.Namespace) -> int:
    from entrypoints.container import ensure_sqlite_dir

    url = ensure_sqlite_dir(load_settings().database_url)
    upgrade(url, args.revision)
    print(f"database at revision {args.revision}")
    return 0
