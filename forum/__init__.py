"""The forum application: lists, the web archive, the command line (and later mail in/out)."""

from forum.app import create_app

__all__ = ["create_app"]
