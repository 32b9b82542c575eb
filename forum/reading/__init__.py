"""The queries behind the archive and admin pages."""
