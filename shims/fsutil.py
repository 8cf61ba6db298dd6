"""File-system helpers shared by the shims: permissions, atomic writes, moves that survive a crash.

Requirement: files 0660 and directories 2770, group etl_group when that group exists (so the
database server, a member of etl_group, can read what the shims put in a processing directory).
"""
from __future__ import annotations

import contextlib
import grp
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

FILE_MODE = 0o660
DIR_MODE = 0o2770
GROUP = os.environ.get("FEEDS_GROUP", "etl_group")
CHUNK = 1 << 20


def group_id() -> int | None:
    try:
        return grp.getgrnam(GROUP).gr_gid
    except KeyError:
        return None


def set_perms(path: str | os.PathLike, mode: int = FILE_MODE) -> None:
    """chmod, then chgrp to etl_group when it exists and we may (a non-member cannot: ignored)."""
    gid = group_id()
    if gid is not None:
        with contextlib.suppress(PermissionError):
            os.chown(path, -1, gid)
    os.chmod(path, mode)


def ensure_dir(path: str | os.PathLike) -> Path:
    """Create a directory (and parents) 2770 etl_group; leave an existing one's mode alone."""
    p = Path(path)
    if not p.is_dir():
        p.mkdir(parents=True, exist_ok=True)
        set_perms(p, DIR_MODE)
    return p


def fsync_dir(path: str | os.PathLike) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_writer(dest: str | os.PathLike, mode: str = "w", **open_args):
    """Write to a dot-named temporary file beside dest (watchers and the engine ignore dot-files),
    fsync, then rename over dest. On an exception the temporary file is removed, dest untouched."""
    dest = Path(dest)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    try:
        with os.fdopen(fd, mode, **open_args) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        set_perms(tmp)
        os.replace(tmp, dest)
        fsync_dir(dest.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def sha256_file(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


def copy_hashing(src: str | os.PathLike, dest: str | os.PathLike) -> tuple[str, int]:
    """Copy src to dest atomically (temporary name, fsync, rename) computing sha256 on the way."""
    h = hashlib.sha256()
    size = 0
    with open(src, "rb") as fin, atomic_writer(dest, "wb") as fout:
        while chunk := fin.read(CHUNK):
            h.update(chunk)
            fout.write(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def move_hashing(src: str | os.PathLike, dest: str | os.PathLike) -> tuple[str, int]:
    """Move src to dest and return (sha256, size). One filesystem: hash, then os.rename (atomic).
    Across filesystems: copy + fsync + rename while hashing, then unlink src. Never overwrites."""
    src, dest = Path(src), Path(dest)
    if dest.exists():
        raise FileExistsError(f"{dest} already exists")
    if os.stat(src).st_dev == os.stat(dest.parent).st_dev:
        digest, size = sha256_file(src), os.stat(src).st_size
        os.rename(src, dest)
        set_perms(dest)
        fsync_dir(dest.parent)
        return digest, size
    digest, size = copy_hashing(src, dest)
    os.unlink(src)
    fsync_dir(src.parent)
    return digest, size


def move(src: str | os.PathLike, dest: str | os.PathLike) -> None:
    """Move without overwriting: rename on one filesystem, copy + fsync + rename across."""
    src, dest = Path(src), Path(dest)
    if dest.exists():
        raise FileExistsError(f"{dest} already exists")
    try:
        os.rename(src, dest)
        fsync_dir(dest.parent)
    except OSError as e:
        if e.errno != 18:  # EXDEV: another filesystem
            raise
        with open(src, "rb") as fin, atomic_writer(dest, "wb") as fout:
            shutil.copyfileobj(fin, fout, CHUNK)
        os.unlink(src)
    set_perms(dest)
