"""The `forum` command as a real process, on the test's database and data folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from forum.settings import Settings


def forum_process(
    settings: Settings, log: Path, *arguments: str, **env: str
) -> subprocess.Popen[bytes]:
    """`forum ARGUMENTS`, its output appended to `log`; `env` adds FORUM_* settings."""
    environment = {
        **os.environ,
        "FORUM_DATABASE_URL": settings.database_url,
        "FORUM_DATA_DIR": str(settings.data_dir),
        "FORUM_SECRET_KEY": settings.secret_key,
        "FORUM_DOMAIN": settings.domain,
        **env,
    }
    forum = Path(sys.executable).with_name("forum")
    with log.open("ab") as output:
        return subprocess.Popen(
            [str(forum), *arguments], env=environment, stdout=output, stderr=subprocess.STDOUT
        )
