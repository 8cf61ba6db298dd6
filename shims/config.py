"""Configuration shared by the shims: the error for bad or missing settings, and env files that
may hold secrets (SFTP and SMTP passwords), which are refused unless only their owner can read them."""
from __future__ import annotations

import os
import re
import stat
from pathlib import Path


class ConfigError(Exception):
    """Bad or missing configuration: exit 2."""


def read_env_file(path: str | os.PathLike) -> dict[str, str]:
    """KEY=VALUE lines (# comments, optional quotes); refused unless only the owner can read it."""
    p = Path(path)
    try:
        st = p.stat()
    except OSError as e:
        raise ConfigError(f"env file {p}: {e.strerror}") from None
    if not stat.S_ISREG(st.st_mode):
        raise ConfigError(f"env file {p} is not a regular file")
    if st.st_mode & 0o077:
        raise ConfigError(f"env file {p} has mode {stat.S_IMODE(st.st_mode):04o}; it may hold secrets, "
                          f"so it must be readable by its owner only (chmod 600 {p})")
    out = {}
    for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[7:].lstrip()
        key, sep, value = line.partition("=")
        if not sep or not re.fullmatch(r"[A-Z_][A-Z0-9_]*", key.strip()):
            raise ConfigError(f"env file {p}, line {n}: expected KEY=VALUE")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        out[key.strip()] = value
    return out
