"""Feeds' own SQLSTATEs (class FD, listed in the README) as psycopg exceptions.

psycopg maps a SQLSTATE it does not know by its first letter, and class "F" (configuration file
errors) maps to OperationalError, the class of a lost connection. Unregistered, every refusal of
the engine (FD003 "job does not take this file", FD002 "two jobs match", …) would look like an
outage to the shims and be retried or reported as "database unreachable". Registering the codes
(psycopg's subclass hook: `class X(psycopg.DatabaseError, code=...)`) makes them FeedsError, a
DatabaseError that is never an OperationalError. Read the code from `e.diag.sqlstate` as usual.
"""
import psycopg


class FeedsError(psycopg.DatabaseError):
    """A condition the Feeds engine raises on purpose: a refusal with a reason, not an outage."""


CODES = ("FD001", "FD002", "FD003", "FD010", "FD011", "FD012", "FD013", "FD014", "FD015", "FD016", "FD020",
         "FD021", "FD030", "FD040", "FD041", "FD045", "FD050", "FD070", "FD071", "FD072", "FD090", "FD091",
         "FD098", "FD099")

ERRORS = {code: type(f"Feeds{code}", (FeedsError,), {"__module__": __name__}, code=code) for code in CODES}
