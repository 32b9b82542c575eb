"""The forum application: lists, the web archive, the command line (and later mail in/out).

`create_app` is imported from `forum.app` when first asked for, so that the `forum` command
can set up how its start is run before the application's modules are imported."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from forum.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from forum.app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
