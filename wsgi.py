"""WSGI entry point for any server (gunicorn, uwsgi, mod_wsgi): `wsgi:app`."""

from forum import create_app

app = create_app()
