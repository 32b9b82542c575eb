"""The `forum` console script: Flask's command group bound to our app factory."""

from __future__ import annotations

from flask.cli import FlaskGroup

from forum.app import create_app
from forum.cli.leaving import leave


def main() -> None:
    group = FlaskGroup(create_app=lambda: create_app(), help="Email-first discussion forum.")
    try:
        group.main(prog_name="forum")  # (click ends every run with SystemExit)
    except SystemExit as done:
        leave(done.code)
