"""File-system helpers shared by the shims: permissions, atomic writes, moves that survive a crash,
and the checks that keep Feeds off links and off files a writer is still at work on.

Requirement: files 0660 and directories 2770, group etl_group when that group exists (so the
database server, a member of etl_group, can read what the shims put in a processing directory).
A user outside etl_group (who cannot give files to it) leaves them in the user's own group, with
the same modes (FEEDS_GROUP names another group). Permissions are only ever set through a file
descriptor opened with O_NOFOLLOW (a symlink is never followed) and never on a file with more
than one hard link (the inode is shared with a file elsewhere).
"""
from __future__ import annotations

import contextlib
import grp
import hashlib
import os
import re
import secrets
import shutil
import stat
from pathlib import Path
from typing import NamedTuple

FILE_MODE = 0o660
DIR_MODE = 0o2770
GROUP = os.environ.get("FEEDS_GROUP", "etl_group")
CHUNK = 1 << 20
DIGEST_CHUNK = 4 << 20  # the chunk size of the chunk digest the watcher and feeds load register (Digests):
# measured fastest for the server's check (docs/operations.md), what it holds at a time, and the size
# of each COPY row feeds load sends (the server checks the stream's rows against the chunk digest)
TMP_PREFIX = ".feeds-"  # temporary files are .feeds-<16 hex>.tmp: short, whatever the final name's length
TMP_RE = re.compile(r"^\.feeds-[0-9a-f]{16}\.tmp$")


class NotPlainFile(OSError):
    """A symlink, a file with more than one hard link, or no regular file at all: refused."""


def group_id() -> int | None:
    try:
        return grp.getgrnam(GROUP).gr_gid
    except KeyError:
        return None


def set_fd_perms(fd: int, mode: int = FILE_MODE) -> None:
    """fchown to etl_group (when we may) and fchmod an open file; a shared inode is left alone."""
    st = os.fstat(fd)
    if not stat.S_ISDIR(st.st_mode) and st.st_nlink > 1:
        return
    gid = group_id()
    if gid is not None and st.st_gid != gid:
        with contextlib.suppress(PermissionError):
            os.fchown(fd, -1, gid)
    os.fchmod(fd, mode)


def set_perms(path: str | os.PathLike, mode: int = FILE_MODE) -> None:
    """set_fd_perms on path opened with O_NOFOLLOW: a symlink (ELOOP) is left as it is."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as e:
        if e.errno == 40:  # ELOOP: a symlink; its target is none of our business
            return
        raise
    try:
        set_fd_perms(fd, mode)
    finally:
        os.close(fd)


@contextlib.contextmanager
def group_modes():
    """What every shim entry point runs under (shims/cli.py dispatches each `feeds` command inside
    it; runner.run too, when called as a function): umask 007, so a file a shim creates is 0660
    whatever the caller's umask, and a directory 0770, which ensure_dir makes 2770 etl_group."""
    old = os.umask(0o007)
    try:
        yield
    finally:
        os.umask(old)


def ensure_dir(path: str | os.PathLike) -> Path:
    """Create a directory, and each parent it needs, 2770 etl_group; leave existing ones alone."""
    p = Path(path)
    if not p.is_dir():
        missing = [d for d in (p, *p.parents) if not os.path.lexists(d)]
        p.mkdir(parents=True, exist_ok=True)
        for d in reversed(missing):
            set_perms(d, DIR_MODE)
    return p


def fsync_dir(path: str | os.PathLike) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def tmp_path(directory: str | os.PathLike) -> Path:
    return Path(directory) / f"{TMP_PREFIX}{secrets.token_hex(8)}.tmp"


@contextlib.contextmanager
def atomic_writer(dest: str | os.PathLike, mode: str = "w", **open_args):
    """Write to a short dot-named temporary file beside dest (watchers and the engine ignore
    dot-files; the name fits whatever dest's length), 0660 etl_group, fsync, then rename over
    dest. On an exception the temporary file is removed, dest untouched; one a kill left behind
    is removed by clean_orphans()."""
    dest = Path(dest)
    tmp = tmp_path(dest.parent)
    fd = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    try:
        set_fd_perms(fd)
        with os.fdopen(fd, mode, **open_args) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, dest)
        fsync_dir(dest.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def clean_orphans(directory: str | os.PathLike) -> list[Path]:
    """Remove the temporary files (ours: .feeds-*.tmp) that a killed process left in directory;
    only call it where no other Feeds process may be writing (the runner holds runner.lock)."""
    gone = []
    with contextlib.suppress(FileNotFoundError, NotADirectoryError), os.scandir(directory) as it:
        for entry in it:
            if TMP_RE.match(entry.name) and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)
                    gone.append(Path(entry.path))
    return gone


def check_plain(st: os.stat_result, path: str | os.PathLike) -> None:
    """Raise NotPlainFile unless st (an lstat) is a regular file with one link."""
    if stat.S_ISLNK(st.st_mode):
        raise NotPlainFile(f"{path} is a symbolic link; Feeds never reads through a link")
    if not stat.S_ISREG(st.st_mode):
        raise NotPlainFile(f"{path} is not a regular file")
    if st.st_nlink > 1:
        raise NotPlainFile(f"{path} has {st.st_nlink} hard links (it shares its content with a file elsewhere);"
                           " Feeds only takes a file with one link")


def open_plain(path: str | os.PathLike) -> int:
    """Open a regular, single-link file for reading without following a link; returns the fd."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        check_plain(os.fstat(fd), path)
    except BaseException:
        os.close(fd)
        raise
    return fd


class Digests(NamedTuple):
    """What the watcher registers of a file (dba.register_file): its sha256 (duplicates, the
    archive, `sha256sum`), its size, and its chunk digest, the sha256 of the concatenated sha256
    of each chunk_size-byte piece in order (an empty file: the sha256 of nothing), which the
    server can check one chunk at a time (dba.tdataloads.chunk_sha256)."""
    sha256: str
    size: int
    chunk_sha256: str
    chunk_size: int


class Hasher:
    """Both digests of Digests in one pass over the bytes: update() with pieces of any size."""

    def __init__(self, chunk_size: int | None = None):
        self.chunk_size = chunk_size or DIGEST_CHUNK
        self.whole, self.chunks, self.piece = hashlib.sha256(), hashlib.sha256(), hashlib.sha256()
        self.size, self.left = 0, self.chunk_size  # bytes still missing from the current chunk

    def update(self, data: bytes) -> None:
        self.whole.update(data)
        self.size += len(data)
        view = memoryview(data)
        while len(view) >= self.left:
            self.piece.update(view[:self.left])
            self.chunks.update(self.piece.digest())
            view, self.piece, self.left = view[self.left:], hashlib.sha256(), self.chunk_size
        self.piece.update(view)
        self.left -= len(view)

    def digests(self) -> Digests:
        chunks = self.chunks.copy()
        if self.left < self.chunk_size:  # the last, shorter chunk
            chunks.update(self.piece.digest())
        return Digests(self.whole.hexdigest(), self.size, chunks.hexdigest(), self.chunk_size)


def digests_fd(fd: int) -> Digests:
    h = Hasher()
    os.lseek(fd, 0, os.SEEK_SET)
    while chunk := os.read(fd, CHUNK):
        h.update(chunk)
    return h.digests()


def digests_file(path: str | os.PathLike) -> Digests:
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        return digests_fd(fd)
    finally:
        os.close(fd)


def sha256_file(path: str | os.PathLike) -> str:
    """The whole-file sha256 alone (the runner's check before archiving)."""
    h = hashlib.sha256()
    with open(os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC), "rb", buffering=0) as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


def open_for_writing() -> dict[tuple[int, int], list[int]]:
    """(st_dev, st_ino) -> pids of the processes that have that file open for writing, as far as
    /proc shows (Linux; processes of other users are only visible to root). One scan of /proc,
    for many files; empty where /proc is not there."""
    found: dict[tuple[int, int], list[int]] = {}
    with contextlib.suppress(FileNotFoundError, PermissionError):
        for pid in (p for p in os.listdir("/proc") if p.isdigit()):
            with contextlib.suppress(OSError):
                for fd in os.listdir(f"/proc/{pid}/fd"):
                    with contextlib.suppress(OSError, StopIteration, ValueError):
                        with open(f"/proc/{pid}/fdinfo/{fd}") as info:
                            flags = int(next(line for line in info if line.startswith("flags:")).split()[1], 8)
                        if flags & (os.O_WRONLY | os.O_RDWR):
                            fst = os.stat(f"/proc/{pid}/fd/{fd}")
                            if stat.S_ISREG(fst.st_mode):
                                found.setdefault((fst.st_dev, fst.st_ino), []).append(int(pid))
    return found


def writers(path: str | os.PathLike, table: dict | None = None) -> list[int]:
    """Pids of the processes that have path open for writing (see open_for_writing(); pass its
    table when asking about many files)."""
    try:
        st = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return []
    table = open_for_writing() if table is None else table
    return sorted(set(table.get((st.st_dev, st.st_ino), [])))


def copy_hashing(src: str | os.PathLike, dest: str | os.PathLike) -> Digests:
    """Copy src to dest atomically (temporary name, fsync, rename) computing its Digests on the way."""
    h = Hasher()
    fd = open_plain(src)
    with os.fdopen(fd, "rb") as fin, atomic_writer(dest, "wb") as fout:
        while chunk := fin.read(CHUNK):
            h.update(chunk)
            fout.write(chunk)
    return h.digests()


def move_hashing(src: str | os.PathLike, dest: str | os.PathLike) -> Digests:
    """Move src to dest and return its Digests, read once. One filesystem: hash, then os.rename
    (atomic). Across filesystems: copy + fsync + rename while hashing, then unlink src. Never
    overwrites. Raises NotPlainFile for a symlink or a file with more than one hard link (nothing read)."""
    src, dest = Path(src), Path(dest)
    if dest.exists():
        raise FileExistsError(f"{dest} already exists")
    fd = open_plain(src)
    try:
        st = os.fstat(fd)
        if st.st_dev == os.stat(dest.parent).st_dev:
            digests = digests_fd(fd)
            os.rename(src, dest)
            set_fd_perms(fd)
            fsync_dir(dest.parent)
            return digests
    finally:
        os.close(fd)
    digests = copy_hashing(src, dest)
    os.unlink(src)
    fsync_dir(src.parent)
    return digests


def move_back(src: str | os.PathLike, dest: str | os.PathLike, others=()) -> None:
    """A file goes back where the watcher takes it again: src moves to dest (never overwriting;
    a writer's open file moves with it) and the others (a converted CSV) are removed if present.
    Runner (a changed or unregistered-content file) and watcher (a registration that failed)."""
    move(src, dest)
    for p in others:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(p)


def move(src: str | os.PathLike, dest: str | os.PathLike) -> None:
    """Move without overwriting: rename on one filesystem, copy + fsync + rename across. A
    symlink moves as the link (its target is never touched); perms only on a plain file."""
    src, dest = Path(src), Path(dest)
    if dest.exists() or dest.is_symlink():
        raise FileExistsError(f"{dest} already exists")
    try:
        os.rename(src, dest)
        fsync_dir(dest.parent)
    except OSError as e:
        if e.errno != 18:  # EXDEV: another filesystem
            raise
        if os.path.islink(src):
            os.symlink(os.readlink(src), dest)
        else:
            with os.fdopen(open_plain(src), "rb") as fin, atomic_writer(dest, "wb") as fout:
                shutil.copyfileobj(fin, fout, CHUNK)
        os.unlink(src)
    set_perms(dest)
