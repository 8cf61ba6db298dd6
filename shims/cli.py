"""The `feeds` command: dispatches to one module per job, each with main(argv) -> exit code.

    feeds [-d DBNAME] [-h HOST] [-p PORT] [-U USER] COMMAND [options]
    feeds --version | --help

The connection options are psql's and apply to every command that connects: they set the libpq
variables PGDATABASE, PGHOST, PGPORT and PGUSER before the command runs (FEEDS_DSN, when set,
still wins for the keys it names). Exit codes: shims/exitcodes.py (0 ok, 1 the job failed,
2 bad usage or configuration).
"""
import importlib
import os
import sys

from shims import exitcodes, fsutil

__version__ = "0.9.0"

COMMANDS = {
    ("install",): ("shims.install", "install Feeds on this machine (as root; --dry-run shows each step)"),
    ("uninstall",): ("shims.install", "remove the schedule and the service account (data only when asked twice)"),
    ("doctor",): ("shims.doctor", "check an installation item by item"),
    ("client", "add"): ("shims.clients", "add a chrooted SFTP-only upload account for a client"),
    ("client", "remove"): ("shims.clients", "remove a client's upload account"),
    ("convert",): ("shims.xls_to_csv", "convert workbooks (xlsx, xlsm, xlsb, ods, xls, html, SpreadsheetML) to CSV"),
    ("watch",): ("shims.file_watcher", "move complete files from the inboxes into processing"),
    ("run",): ("shims.runner", "one whole run: pull, watch, import, archive, report, mail"),
    ("load",): ("shims.client_load", "load files through COPY FROM STDIN (server cannot see them)"),
    ("status",): ("shims.status", "latest loads as a table"),
    ("errors",): ("shims.errors", "rejected rows of one load"),
    ("job", "draft"): ("shims.job_draft", "draft a job (table, grants, job row, dry run) from a sample file"),
    ("logs", "replay"): ("shims.log_replay", "load fallback log files into dba.tlogentry"),
    ("meetmax", "check"): ("shims.meetmax_check", "check which MeetMax events exist"),
    ("meetmax", "download"): ("shims.meetmax_download", "download MeetMax company lists"),
    ("mail", "send"): ("shims.send_mail", "send pending report mail"),
    ("sftp", "pull"): ("shims.sftp_pull", "download new files from an SFTP server"),
    ("visitas", "run"): ("shims.visitas", "the Visitas job: pull, import, archive, report"),
}

# psql's connection options -> the libpq variable each one sets.
CONNECTION_OPTIONS = {
    "-d": "PGDATABASE", "--dbname": "PGDATABASE",
    "-h": "PGHOST", "--host": "PGHOST",
    "-p": "PGPORT", "--port": "PGPORT",
    "-U": "PGUSER", "--username": "PGUSER",
}


def usage(out=sys.stderr) -> None:
    print("usage: feeds [-d DBNAME] [-h HOST] [-p PORT] [-U USER] COMMAND [options]\n"
          "       feeds --version | --help\n\n"
          "connection options (as psql's; they set PGDATABASE, PGHOST, PGPORT, PGUSER):\n"
          "  -d, --dbname DBNAME   database\n  -h, --host HOST       server host or socket directory\n"
          "  -p, --port PORT       server port\n  -U, --username USER   database user\n\n"
          "commands:", file=out)
    for words, (_, text) in COMMANDS.items():
        print(f"  {' '.join(words):<18} {text}", file=out)
    print("\nexit codes: 0 ok, 1 the job failed (database unreachable included), 2 bad usage or configuration\n"
          "`feeds COMMAND --help` describes a command's own options.", file=out)


def apply_connection_options(argv: list[str]) -> list[str] | int:
    """Consume the leading connection options into the environment; return the rest of argv,
    or an exit code when the options are wrong or ask for help/version."""
    i = 0
    while i < len(argv) and argv[i].startswith("-"):
        arg = argv[i]
        if arg in ("--help", "-?") or (arg == "-h" and i + 1 == len(argv)):
            usage(sys.stdout)
            return exitcodes.OK
        if arg in ("--version", "-V"):
            print(f"feeds {__version__}")
            return exitcodes.OK
        name, eq, value = arg.partition("=")
        if name in CONNECTION_OPTIONS and name.startswith("--") and eq:
            i += 1
        elif arg in CONNECTION_OPTIONS:
            if i + 1 == len(argv):
                print(f"feeds: option {arg} needs a value", file=sys.stderr)
                return exitcodes.USAGE
            value = argv[i + 1]
            i += 2
        elif len(arg) > 2 and arg[:2] in CONNECTION_OPTIONS:  # -dfeeds, like psql
            name, value = arg[:2], arg[2:]
            i += 1
        else:
            print(f"feeds: unknown option '{arg}'", file=sys.stderr)
            usage()
            return exitcodes.USAGE
        os.environ[CONNECTION_OPTIONS[name]] = value
    return argv[i:]


def main(argv: list[str]) -> int:
    rest = apply_connection_options(argv)
    if isinstance(rest, int):
        return rest
    if not rest:
        usage()
        return exitcodes.USAGE
    for n in (2, 1):
        key = tuple(rest[:n])
        if key in COMMANDS:
            module_name = COMMANDS[key][0]
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as e:
                if e.name == module_name:
                    print(f"feeds: '{' '.join(key)}' is not available in this version", file=sys.stderr)
                    return exitcodes.USAGE
                raise
            if module_name in ("shims.install", "shims.clients"):  # one module, several commands:
                # it gets its own last word; it sets the modes of the system files it makes itself
                # (a root-owned application tree 0755, the env file 0640), so no umask of ours
                return module.main(rest[n - 1:])
            with fsutil.group_modes():  # everything a command creates: 0660, directories 2770 (issue 11)
                return module.main(rest[n:])
    print(f"feeds: unknown command '{' '.join(rest[:2])}'", file=sys.stderr)
    usage()
    return exitcodes.USAGE


def console_main() -> None:
    """Entry point of the `feeds` console script (pyproject.toml)."""
    sys.exit(main(sys.argv[1:]))
