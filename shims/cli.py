"""The `feeds` command: dispatches to one module per job, each with main(argv) -> exit code.

Exit codes: 0 ok, 1 the job failed, 2 bad usage or configuration.
"""
import importlib
import sys

COMMANDS = {
    ("convert",): ("shims.xls_to_csv", "convert Excel (xlsx, xls, html, SpreadsheetML) files to CSV"),
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


def usage(out=sys.stderr) -> int:
    print("usage: feeds COMMAND [options]\n\ncommands:", file=out)
    for words, (_, text) in COMMANDS.items():
        print(f"  {' '.join(words):<18} {text}", file=out)
    return 2


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        return usage(sys.stdout if argv else sys.stderr) if argv else usage()
    for n in (2, 1):
        key = tuple(argv[:n])
        if key in COMMANDS:
            module_name = COMMANDS[key][0]
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as e:
                if e.name == module_name:
                    print(f"feeds: '{' '.join(key)}' is not available in this version", file=sys.stderr)
                    return 2
                raise
            return module.main(argv[n:])
    print(f"feeds: unknown command '{' '.join(argv[:2])}'", file=sys.stderr)
    return usage()
