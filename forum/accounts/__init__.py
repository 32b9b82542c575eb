"""Accounts and signing in."""
