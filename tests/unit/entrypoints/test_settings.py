"""load_settings: each default comes from the config structs, each variable overrides its field."""

import os
from datetime import timedelta
from pathlib import Path

import pytest

from application.search.dto import SearchConfig
from application.search.shopper_context import PersonalConfig
from entrypoints.settings import ENV, Settings, load_settings


def settings(env: dict[str, str], dotenv: Path = Path(os.devnull)) -> Settings:
    return load_settings(env, dotenv=dotenv)


def test_an_empty_environment_gives_the_structs_defaults() -> None:
    loaded = settings({})
    assert loaded.search == SearchConfig()
    assert loaded.personal == PersonalConfig()
    assert loaded.port == Settings().port
    assert loaded.event_group_commit is True
    assert loaded.experiment.arms == ("personalized", "popularity")


def test_variables_override_their_fields_in_their_units() -> None:
    loaded = settings(
        {
            "SEARCH_CANDIDATE_LIMIT": "150",
            "SEARCH_RESULT_TTL": "0",
            "SHOPPER_PROFILE_TTL": "0",
            "SESSION_IDLE_MINUTES": "30",
            "RETRAIN_EVERY_HOURS": "2",
            "EVENT_GROUP_COMMIT": "off",
            "SESSION_COOKIE_SECURE": "yes",
            "ALLOWED_ORIGINS": "https://a.test, https://b.test",
        }
    )
    assert loaded.search == SearchConfig(candidate_limit=150, result_ttl_seconds=0.0)
    assert loaded.personal.profile_ttl_seconds == 0.0
    assert loaded.sessions.idle == timedelta(minutes=30)
    assert loaded.sessions.absolute == Settings().sessions.absolute
    assert loaded.retrain_trigger.every_seconds == 7200
    assert loaded.retrain_trigger.every_events == Settings().retrain_trigger.every_events
    assert loaded.event_group_commit is False
    assert loaded.session_cookie_secure is True
    assert loaded.allowed_origins == ("https://a.test", "https://b.test")


def test_the_environment_wins_over_the_dotenv_file(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("export BCRYPT_ROUNDS=10\nIMPORT_BATCH_SIZE='500'\n# LOG_LEVEL=DEBUG\n")
    loaded = settings({"BCRYPT_ROUNDS": "11"}, dotenv)
    assert (loaded.bcrypt_rounds, loaded.import_batch_size, loaded.log_level) == (11, 500, "INFO")


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("SEARCH_FACET_SIZE", "lots"),
        ("ECOMSEARCH_PORT", "80.5"),
        ("POPULARITY_WEIGHT_CLICK", "inf"),
        ("TRAIN_MAX_WEIGHT", "0.5"),
        ("MODEL_STORE", "s3"),
        ("EVENT_RETENTION_DAYS", "0.5"),
        ("DATABASE_READ_URL", "sqlite:///./data/replica.db"),  # the router asks a PostgreSQL standby
    ],
)
def test_a_bad_value_stops_the_start_naming_the_variable(name: str, raw: str) -> None:
    with pytest.raises(ValueError, match=name):
        settings({name: raw})


def test_every_variable_names_a_real_field() -> None:
    defaults = Settings()
    for path, _ in ENV.values():
        node: object = defaults
        for part in path.split("."):
            assert hasattr(node, part), path
            node = getattr(node, part)


def test_event_abuse_settings_in_their_units() -> None:
    defaults = load_settings({}, dotenv=Path(os.devnull))
    assert (defaults.popularity.anonymous, defaults.popularity.window_seconds) == (0.25, 3600)
    assert (defaults.event_limits.per_client, defaults.event_limits.window_seconds) == (120, 60)
    assert defaults.retrain_trigger.min_interval_seconds == 3600
    assert defaults.cluster_trigger.min_interval_seconds == 1800
    settings = load_settings(
        {
            "POPULARITY_WEIGHT_ANONYMOUS": "0.5",
            "POPULARITY_WINDOW_MINUTES": "30",
            "EVENT_RATE_LIMIT": "10",
            "EVENT_RATE_WINDOW_SECONDS": "5",
            "RETRAIN_MIN_INTERVAL_MINUTES": "2",
            "CLUSTER_MIN_INTERVAL_MINUTES": "0",
        },
        dotenv=Path(os.devnull),
    )
    assert (settings.popularity.anonymous, settings.popularity.window_seconds) == (0.5, 1800)
    assert (settings.event_limits.per_client, settings.event_limits.window_seconds) == (10, 5)
    assert settings.retrain_trigger.min_interval_seconds == 120
    assert settings.cluster_trigger.min_interval_seconds == 0
    assert settings.retrain_trigger.every_events == 500  # the rest of the trigger is kept


def test_account_link_settings_in_their_units() -> None:
    defaults = load_settings({}, dotenv=Path(os.devnull))
    assert defaults.account_tokens.verify_email == timedelta(hours=48)
    assert defaults.account_tokens.password_reset == timedelta(minutes=30)
    assert defaults.unverified_may_review is False
    limits = defaults.login_limits
    assert (limits.verification_resends, limits.reset_per_email, limits.reset_per_client) == (3, 3, 20)
    assert limits.mail_window_seconds == 3600
    settings = load_settings(
        {
            "EMAIL_VERIFICATION_HOURS": "1.5",
            "PASSWORD_RESET_MINUTES": "10",
            "UNVERIFIED_MAY_REVIEW": "yes",
            "VERIFICATION_RESEND_LIMIT": "1",
            "PASSWORD_RESET_RATE_LIMIT": "0",
            "PASSWORD_RESET_RATE_LIMIT_PER_ADDRESS": "7",
            "MAIL_RATE_WINDOW_SECONDS": "60",
        },
        dotenv=Path(os.devnull),
    )
    assert settings.account_tokens.verify_email == timedelta(minutes=90)
    assert settings.account_tokens.password_reset == timedelta(minutes=10)
    assert settings.unverified_may_review is True
    limits = settings.login_limits
    assert (limits.verification_resends, limits.reset_per_email, limits.reset_per_client) == (1, 0, 7)
    assert limits.mail_window_seconds == 60 and limits.per_account_address == 5
