"""Configuration shared by the shims: the error for bad or missing settings, and the env-file
parser that cron's wrapper (bin/run_python_etl_script.sh) and every shim use.

The env-file rule, the only statement of it (docs/operations.md quotes it):

    An env file may hold secrets. It must be a regular file, not a link, owned by root or by
    the user who reads it, and readable by nobody else except its group: mode 0600, or 0640
    with group etl_group so that etl_user can read a root-owned file. No bit for others, no
    write or execute for the group.

Format: KEY=VALUE lines; blank lines and lines starting with # are skipped; `export ` in front
is allowed; one pair of matching quotes around the value is removed; nothing is expanded
(no $VAR, no backslashes, no command substitution) — the wrapper exports exactly these values.

    python -m shims.config --export FILE   # `export KEY='VALUE'` lines for bash's eval
"""
from __future__ import annotations

import os
import re
import shlex
import stat
import sys
from pathlib import Path

from shims import exitcodes

ENV_FILE_RULE = ("mode 0600, or 0640 with group etl_group; owned by root or the reading user; "
                 "no bit for others")


class ConfigError(Exception):
    """Bad or missing configuration: exit 2."""


def check_env_file_mode(p: Path, st: os.stat_result) -> None:
    """Raise ConfigError unless the file follows the env-file rule (see the module docstring)."""
    mode = stat.S_IMODE(st.st_mode)
    if mode & 0o037:
        raise ConfigError(f"env file {p} has mode {mode:04o}; it may hold secrets, so it must be "
                          f"{ENV_FILE_RULE} (chmod 600 {p}, or chmod 640 {p} with chgrp etl_group {p})")
    if st.st_uid not in (0, os.geteuid()):
        raise ConfigError(f"env file {p} is owned by uid {st.st_uid}; it must belong to root or to the user "
                          f"reading it (chown root {p})")


def read_env_file(path: str | os.PathLike) -> dict[str, str]:
    """KEY=VALUE lines (# comments, optional quotes); refused unless it follows the env-file rule."""
    p = Path(path)
    try:
        st = p.lstat()
    except OSError as e:
        raise ConfigError(f"env file {p}: {e.strerror}") from None
    if not stat.S_ISREG(st.st_mode):
        raise ConfigError(f"env file {p} is not a regular file")
    check_env_file_mode(p, st)
    out = {}
    for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[7:].lstrip()
        key, sep, value = line.partition("=")
        if not sep or not re.fullmatch(r"[A-Z_][A-Z0-9_]*", key.strip()):
            raise ConfigError(f"env file {p}, line {n}, column 1: expected KEY=VALUE")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        out[key.strip()] = value
    return out


def main(argv: list[str] | None = None) -> int:
    """`python -m shims.config --export FILE`: the file's settings as bash `export` lines."""
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2 or argv[0] != "--export":
        print("usage: python -m shims.config --export FILE", file=sys.stderr)
        return exitcodes.USAGE
    try:
        values = read_env_file(argv[1])
    except ConfigError as e:
        print(f"feeds: {e}", file=sys.stderr)
        return exitcodes.USAGE
    for key, value in values.items():
        print(f"export {key}={shlex.quote(value)}")
    return exitcodes.OK


if __name__ == "__main__":
    sys.exit(main())
