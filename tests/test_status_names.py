"""No shim spells a load status: every decision a shim makes from a status (archive or
quarantine, exit code, log level, whether a load still waits) comes from dba.tloadstatus. A
structure test over the source of shims/, with the statuses read from the database."""
import ast
import re

from conftest import ROOT

# dba.run_import() and dba.finish_load() call a dry run's result dry_run; no load keeps it.
RESULT_ONLY = {"dry_run"}
# String constants that equal a status but are no status, each with the line that holds it.
NOT_A_STATUS = {
    ("install.py", "failed", r"^TREE = "): "the name of a job directory (failed_dir)",
    ("install.py", "dry_run", r'getattr\(args, "dry_run"'): "the --dry-run option of feeds install",
    ("status.py", "loaded", r"^HEADERS = "): "a column header of feeds status (rows inserted + updated)",
    # a verdict of meetmax.tdownloadstatus, named by hand only when there is no database to ask
    ("meetmax_download.py", "failed", r'return None, \("failed" if failed'): "an offline download verdict",
}


def spelled(statuses: set[str], root=ROOT) -> list[str]:
    """Every string constant of shims/ that is a status, or SQL text with one as a literal."""
    quoted = re.compile("'(" + "|".join(map(re.escape, sorted(statuses))) + ")'")
    found = []
    for path in sorted((root / "shims").rglob("*.py")):
        lines = path.read_text().splitlines()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            hit = node.value if node.value in statuses else (m.group(1) if (m := quoted.search(node.value)) else None)
            if hit is None:
                continue
            line = lines[node.lineno - 1].strip()
            if any(f == path.name and v == hit and re.search(rx, line) for (f, v, rx) in NOT_A_STATUS):
                continue
            found.append(f"{path.relative_to(root)}:{node.lineno}: {hit!r} in {line}")
    return found


def test_no_shim_spells_a_load_status(etl):
    statuses = {r[0] for r in etl.execute("SELECT status FROM dba.tloadstatus")} | RESULT_ONLY
    assert {"pending", "loaded", "failed", "duplicate"} <= statuses  # the lookup is read, not empty
    assert spelled(statuses) == [], "ask dba.tloadstatus (is_final, is_failed, is_loaded, log_level) instead"


def test_the_check_finds_a_status_spelled_in_a_comparison_or_in_sql(tmp_path):
    """The check itself can fail: a shim that compares with a status or names one in SQL is found."""
    shims = tmp_path / "shims"
    shims.mkdir()
    (shims / "bad.py").write_text('def f(s, db):\n    if s == "failed":\n        return 1\n'
                                  '    return db.call("SELECT 1 FROM dba.tdataloads WHERE status = \'pending\'")\n')
    assert [h.split(": ")[1].split(" in ")[0] for h in spelled({"failed", "pending"}, tmp_path)] == ["'failed'", "'pending'"]
