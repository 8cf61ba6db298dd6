"""`feeds doctor`: check an installation item by item; each line says ok, or what to do.

    feeds doctor [--root DIR] [--etl-user etl_user] [--etl-group etl_group] [--database Feeds] [--min-free-mb 1024]

Items: the account and groups, the modes of the tree, the env file (its mode rule), the database
reachable as feeds_etl with the installed settings (env file + ~etl_user/.pgpass), TLS on that
connection, Sqitch deployed and verified, the cron file, the sshd configuration (`sshd -t`),
pg_cron's state, free disk. Exit 0 when every item is ok, 1 otherwise, 2 bad usage.
"""
from __future__ import annotations

import grp
import os
import pwd
import shutil
import stat
import sys
from pathlib import Path

import psycopg

from shims import exitcodes
from shims import install as inst
from shims.config import ConfigError, read_env_file


class Problem(Exception):
    """An item is not ok: the message says what to do."""


class NotChecked(Problem):
    """An item that depends on one that failed."""


def check_account(i: inst.Install) -> str:
    try:
        pw = pwd.getpwnam(i.etl_user)
    except KeyError:
        raise Problem(f"user {i.etl_user} does not exist: run feeds install") from None
    try:
        g = grp.getgrnam(i.etl_group)
    except KeyError:
        raise Problem(f"group {i.etl_group} does not exist: run feeds install") from None
    if pw.pw_gid != g.gr_gid and i.etl_user not in g.gr_mem:
        raise Problem(f"{i.etl_user} is not in {i.etl_group}: usermod -a -G {i.etl_group} {i.etl_user}")
    if i.pg_os_user not in g.gr_mem:
        raise Problem(f"the server's OS user {i.pg_os_user} is not in {i.etl_group}, so server-side COPY cannot "
                      f"read processing/: usermod -a -G {i.etl_group} {i.pg_os_user}; systemctl restart postgresql")
    return f"{i.etl_user} in {i.etl_group}, {i.pg_os_user} in {i.etl_group}"


def check_modes(i: inst.Install) -> str:
    uid, gid = pwd.getpwnam(i.etl_user).pw_uid, grp.getgrnam(i.etl_group).gr_gid
    bad = []
    for d in (i.data, *(i.data / t for t in inst.TREE)):
        try:
            st = d.stat()
        except FileNotFoundError:
            bad.append(f"{d} is missing")
            continue
        if stat.S_IMODE(st.st_mode) != 0o2770 or (st.st_uid, st.st_gid) != (uid, gid):
            bad.append(f"{d} is {stat.S_IMODE(st.st_mode):04o} {pwd.getpwuid(st.st_uid).pw_name}:"
                       f"{grp.getgrgid(st.st_gid).gr_name}")
    if bad:
        raise Problem(f"{'; '.join(bad)}: want 2770 {i.etl_user}:{i.etl_group} "
                      f"(chown {i.etl_user}:{i.etl_group} DIR; chmod 2770 DIR, or rerun feeds install)")
    return f"{i.data} and its {len(inst.TREE)} directories 2770 {i.etl_user}:{i.etl_group}"


def check_env_file(i: inst.Install) -> str:
    try:
        read_env_file(i.env_file)
    except ConfigError as e:
        raise Problem(str(e)) from None
    return f"{i.env_file} {stat.S_IMODE(i.env_file.stat().st_mode):04o}"


def etl_connection(i: inst.Install) -> psycopg.Connection:
    try:
        env = read_env_file(i.env_file)
    except ConfigError as e:
        raise Problem(f"cannot read the settings: {e}") from None
    keys = {"PGHOST": "host", "PGPORT": "port", "PGDATABASE": "dbname", "PGUSER": "user", "PGSSLMODE": "sslmode",
            "PGSSLROOTCERT": "sslrootcert"}
    params = {keys[k]: v for k, v in env.items() if k in keys}
    try:
        return psycopg.connect(**params, passfile=str(Path(pwd.getpwnam(i.etl_user).pw_dir) / ".pgpass"),
                               connect_timeout=10, autocommit=True)
    except psycopg.Error as e:
        raise Problem(f"cannot connect as {params.get('user')} to {params.get('dbname')} on {params.get('host')}: "
                      f"{str(e).strip()} (check {i.env_file} and ~{i.etl_user}/.pgpass)") from None


def check_database(i: inst.Install, conn_box: list) -> str:
    conn = etl_connection(i)
    conn_box.append(conn)
    user, db = conn.execute("SELECT current_user, current_database()").fetchone()
    return f"connected as {user} to {db}"


def check_tls(i: inst.Install, conn_box: list) -> str:
    if not conn_box:
        raise NotChecked("not checked: no connection (see the database item)")
    row = conn_box[0].execute("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()").fetchone()
    if not row or not row[0]:
        raise Problem("the connection is not encrypted: set PGSSLMODE=require (or verify-full) in the env file, "
                      "and ssl = on on the server (feeds install does both)")
    return f"on ({row[1]})"


def check_sqitch(i: inst.Install) -> str:
    status = i.sqitch("status")
    if status.returncode != 0 or "Nothing to deploy (up-to-date)" not in status.stdout:
        raise Problem(f"not up to date: cd {i.app} && sqitch deploy db:pg:{i.database} "
                      f"({(status.stdout + status.stderr).strip().splitlines()[-1:]})")
    verify = i.sqitch("verify")
    if verify.returncode != 0:
        raise Problem(f"sqitch verify failed: {(verify.stdout + verify.stderr).strip()[-300:]}")
    return "deployed and verified"


def check_cron(i: inst.Install) -> str:
    if not i.cron_file.exists():
        raise Problem(f"{i.cron_file} is missing: rerun feeds install")
    text = i.cron_file.read_text()
    wrapper = i.app / "bin/run_python_etl_script.sh"
    if f"{i.etl_user}  {wrapper} run" not in text:
        raise Problem(f"{i.cron_file} has no weekly run as {i.etl_user} through {wrapper}: rerun feeds install")
    if not os.access(wrapper, os.X_OK):
        raise Problem(f"{wrapper} is missing or not executable: rerun feeds install")
    if stat.S_IMODE(i.cron_file.stat().st_mode) & 0o022:
        raise Problem(f"{i.cron_file} is writable by others than root (cron ignores it): chmod 644 {i.cron_file}")
    return f"{i.cron_file}: weekly run as {i.etl_user}"


def check_sshd(i: inst.Install) -> str:
    if not i.sshd_snippet.exists():
        raise Problem(f"{i.sshd_snippet} is missing: rerun feeds install")
    try:
        return inst.check_sshd_config(i.sshd_snippet, i.root)
    except inst.StepFailed as e:
        raise Problem(f"{e}: fix {i.sshd_snippet}") from None


def check_pg_cron(i: inst.Install, conn_box: list) -> str:
    if not conn_box:
        raise NotChecked("not checked: no connection (see the database item)")
    conn = conn_box[0]
    if conn.execute("SELECT NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron')").fetchone()[0]:
        return "not installed here (cron runs the schedule; see docs/operations.md to add it)"
    jobs = conn.execute("SELECT jobname, schedule FROM cron.job WHERE jobname LIKE 'feeds-%'").fetchall()
    return "installed; " + (", ".join(f"{n} at '{s}'" for n, s in jobs) if jobs else "no feeds job scheduled")


def check_disk(i: inst.Install, min_free_mb: int) -> str:
    free = shutil.disk_usage(i.data if i.data.exists() else i.root).free // 2**20
    if free < min_free_mb:
        raise Problem(f"only {free} MB free under {i.data} (want {min_free_mb}): delete old archives or logs")
    return f"{free} MB free"


def main(argv: list[str]) -> int:
    p = inst.parser("doctor")
    p.description = __doc__.split("\n\n")[0]
    p.add_argument("--min-free-mb", type=int, default=1024, help="free disk under the tree to call ok")
    try:
        args = p.parse_args(argv)
    except SystemExit as e:
        return exitcodes.USAGE if e.code else exitcodes.OK
    i = inst.make(args)
    conn: list = []
    items = [("account", lambda: check_account(i)), ("modes", lambda: check_modes(i)),
             ("env file", lambda: check_env_file(i)), ("database", lambda: check_database(i, conn)),
             ("tls", lambda: check_tls(i, conn)), ("sqitch", lambda: check_sqitch(i)),
             ("cron", lambda: check_cron(i)), ("sshd", lambda: check_sshd(i)),
             ("pg_cron", lambda: check_pg_cron(i, conn)), ("disk", lambda: check_disk(i, args.min_free_mb))]
    bad = 0
    for name, check in items:
        try:
            print(f"ok    {name}: {check()}")
        except (Problem, OSError, KeyError, psycopg.Error) as e:
            bad += 1
            print(f"{'skip' if isinstance(e, NotChecked) else 'FAIL'}  {name}: {e}")
    for c in conn:
        c.close()
    print("all ok" if not bad else f"{bad} item(s) need attention")
    return exitcodes.OK if not bad else exitcodes.FAILED
