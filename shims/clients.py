"""`feeds client add NAME --key PUBKEY [--job J]` and `feeds client remove NAME`, as root.

A client gets an OS account that can do one thing: put files into its own upload directory over
SFTP. The account is in the sftp group of the sshd snippet (etc/sshd/feeds-upload.conf, installed
by `feeds install` or here): chrooted to <root>/srv/sftp/NAME (root-owned, 0755), SFTP only
(internal-sftp), public keys only (its key in <root>/etc/ssh/authorized_keys/NAME, root-owned,
with `restrict`), no shell, no TTY, no forwarding, no password. The upload directory
<chroot>/upload is NAME:etl_group 2770, so the watcher (etl_user) takes the files; it is recorded
in dba.tclient as an inbox, and each load from it carries the client's name
(dba.tdataloads.client_name). --job limits the client to one job; without it, any job whose
file pattern matches takes the file.

Exit codes: 0 done, 1 a step failed, 2 bad usage (not root, bad name, not a public key).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from shims import exitcodes
from shims import install as inst

NAME_RE = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")


def paths(i: inst.Install, name: str) -> tuple[Path, Path, Path]:
    chroot = i.sftp_root / name
    return chroot, chroot / "upload", i.keys_dir / name


def add(i: inst.Install, name: str, key_file: Path, job: str | None) -> int:
    r = subprocess.run(["ssh-keygen", "-l", "-f", str(key_file)], capture_output=True, text=True)
    if r.returncode != 0 or not key_file.is_file():
        print(f"feeds client add: {key_file} is not an SSH public key ({r.stderr.strip() or 'unreadable'})",
              file=sys.stderr)
        return exitcodes.USAGE
    key = key_file.read_text().strip().splitlines()[0]
    if key.startswith("-----") or "PRIVATE" in key:
        print(f"feeds client add: {key_file} is a private key; give the client's .pub file", file=sys.stderr)
        return exitcodes.USAGE
    chroot, upload, keys = paths(i, name)

    def step_account(i):
        if inst.user_exists(name):
            return "ok, unchanged"
        # Password '*': no password can match it, and sshd does not take it for a locked account
        # ('!', which useradd sets), which it would refuse even with a key when UsePAM is off.
        return i.do(f"created user {name} (group {i.sftp_group}, no shell, no password)", lambda: inst.run(
            ["useradd", "--system", "--gid", i.sftp_group, "--no-create-home", "--home-dir", "/", "--password", "*",
             "--shell", "/usr/sbin/nologin", "--comment", f"Feeds client upload {name}", name]))

    def step_dirs(i):
        if i.dry_run:
            return f"would make {chroot} (root 0755, the chroot) and {upload} ({name}:{i.etl_group} 2770)"
        import grp
        import pwd
        changed = inst.ensure_dir(chroot, 0o755, 0, 0)
        changed |= inst.ensure_dir(upload, 0o2770, pwd.getpwnam(name).pw_uid, grp.getgrnam(i.etl_group).gr_gid)
        return f"made {chroot} (chroot) and {upload} (2770)" if changed else "ok, unchanged"

    def step_key(i):
        text = f"restrict {key}\n"
        if keys.exists() and keys.read_text() == text:
            return "ok, unchanged"
        return i.do(f"wrote {keys} (root 0644, restrict)", lambda: inst.write_if_changed(keys, text, 0o644))

    def step_database(i):
        current = i.sql(f"SELECT coalesce(job_name, ''), inbox_dir FROM dba.tclient WHERE client_name = "
                        f"{inst.quote_literal(name)}", i.database)
        if current == [[job or "", str(upload)]]:
            return "ok, unchanged"
        sql = (f"INSERT INTO dba.tclient (client_name, job_name, inbox_dir) VALUES ({inst.quote_literal(name)}, "
               f"{inst.quote_literal(job) if job else 'NULL'}, {inst.quote_literal(str(upload))}) "
               "ON CONFLICT (client_name) DO UPDATE SET job_name = EXCLUDED.job_name, inbox_dir = EXCLUDED.inbox_dir")
        return i.do(f"recorded {upload} as the inbox of client {name} in dba.tclient"
                    + (f" (job {job} only)" if job else " (any job)"), lambda: i.sql(sql, i.database))

    steps = [("sshd", inst.step_sshd), ("account", step_account), ("directories", step_dirs),
             ("key", step_key), ("database", step_database)]
    return inst.run_steps(i, steps)


def remove(i: inst.Install, name: str) -> int:
    chroot, upload, keys = paths(i, name)

    def step_database(i):
        if i.value(f"SELECT 1 FROM dba.tclient WHERE client_name = {inst.quote_literal(name)}", i.database) is None:
            return "ok, nothing to remove"
        return i.do(f"removed client {name} from dba.tclient (its loads keep the name)", lambda: i.sql(
            f"DELETE FROM dba.tclient WHERE client_name = {inst.quote_literal(name)}", i.database))

    def step_key(i):
        if not keys.exists():
            return "ok, nothing to remove"
        return i.do(f"removed {keys}", keys.unlink)

    def step_account(i):
        if not inst.user_exists(name):
            return "ok, nothing to remove"
        return i.do(f"removed user {name}", lambda: inst.run(["userdel", name]))

    def step_dirs(i):
        if not chroot.exists():
            return "ok, nothing to remove"
        waiting = [p.name for p in upload.iterdir()] if upload.is_dir() else []
        if waiting:
            return (f"kept {chroot}: {len(waiting)} file(s) still wait in {upload} "
                    "(let the watcher take them, then remove the directory)")
        return i.do(f"removed {chroot}", lambda: shutil.rmtree(chroot))

    return inst.run_steps(i, [("key", step_key), ("database", step_database), ("account", step_account),
                              ("directories", step_dirs)])


def main(argv: list[str]) -> int:
    command, argv = argv[0], argv[1:]
    p = argparse.ArgumentParser(prog=f"feeds client {command}", description=__doc__.split("\n\n")[0])
    p.add_argument("name", help="client name: lower case letters, digits, _ and -; also its OS account")
    if command == "add":
        p.add_argument("--key", type=Path, required=True, help="the client's SSH public key (.pub)")
        p.add_argument("--job", help="the only job the client may upload for (default: any)")
    p.add_argument("--dry-run", action="store_true")
    p.add_argument("--root", type=Path, default=Path("/"))
    p.add_argument("--etl-group", default="etl_group")
    p.add_argument("--sftp-group", default="sftp_upload")
    p.add_argument("--database", default="Feeds")
    p.add_argument("--pg-os-user", default="postgres")
    try:
        args = p.parse_args(argv)
    except SystemExit as e:
        return exitcodes.USAGE if e.code else exitcodes.OK
    if not NAME_RE.match(args.name):
        print(f"feeds client {command}: {args.name!r} is not a client name (lower case letter first, then "
              "letters, digits, _ or -, at most 32)", file=sys.stderr)
        return exitcodes.USAGE
    if os.geteuid() != 0 and not args.dry_run:
        print(f"feeds client {command}: run as root", file=sys.stderr)
        return exitcodes.USAGE
    i = inst.Install(root=args.root.resolve(), etl_group=args.etl_group, sftp_group=args.sftp_group,
                     database=args.database, pg_os_user=args.pg_os_user, dry_run=args.dry_run)
    if command == "add":
        return add(i, args.name, args.key, args.job)
    return remove(i, args.name)
