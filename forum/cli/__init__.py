"""The `forum` command line, one module per group of commands."""
