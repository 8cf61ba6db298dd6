"""The exit codes of every `feeds` command, in one place.

| code | name   | meaning |
|------|--------|---------|
| 0    | OK     | the command did what it was asked (a file that matches no job is not a failure) |
| 1    | FAILED | the job failed: a file failed, a check failed, or the database could not be reached or was lost |
| 2    | USAGE  | bad usage or configuration: unknown option, missing setting, a file that is not there, an env file with a loose mode |

A database that cannot be reached is FAILED (1) in every command: it is an outage that a later
run may not meet, not a mistake in the command line.
"""
OK = 0
FAILED = 1
USAGE = 2
DB_UNREACHABLE = FAILED
