"""FORUM_SEARCH_BACKEND: Whoosh by default, PostgreSQL's only over a PostgreSQL database."""

from __future__ import annotations

from pathlib import Path

import pytest

from forum.settings import Settings

PG = "postgresql+psycopg://forum@db/forum"


def _env(tmp_path: Path, **values: str) -> dict[str, str]:
    return {"FORUM_DATA_DIR": str(tmp_path), "FORUM_SECRET_KEY": "k", **values}


def test_whoosh_is_the_default(tmp_path: Path) -> None:
    assert Settings.from_env(_env(tmp_path)).search_backend == "whoosh"
    assert Settings.from_env(_env(tmp_path, FORUM_DATABASE_URL=PG)).search_backend == "whoosh"


def test_postgres_is_chosen_over_postgresql(tmp_path: Path) -> None:
    env = _env(tmp_path, FORUM_DATABASE_URL=PG, FORUM_SEARCH_BACKEND="Postgres")
    assert Settings.from_env(env).search_backend == "postgres"


@pytest.mark.parametrize(
    "env", [{"FORUM_SEARCH_BACKEND": "postgres"}, {"FORUM_SEARCH_BACKEND": "xapian"}]
)
def test_a_backend_that_cannot_work_stops_the_start(tmp_path: Path, env: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="FORUM_SEARCH_BACKEND"):
        Settings.from_env(_env(tmp_path, **env))
