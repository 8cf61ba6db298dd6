"""Feeds shims: thin programs that touch the outside world (web, SFTP, SMTP, Excel, files).

Every decision lives in the database; a shim asks, does, and confirms.
"""
from shims import sqlstates as _sqlstates  # noqa: F401  registers Feeds' SQLSTATEs with psycopg
