"""The feeds command as a user meets it: --version, --help, psql's connection options, one table
of exit codes, the env-file rule shared by the cron wrapper and Python, and `pip install .`."""
import os
import socket
import subprocess
import sys

import pytest

from conftest import ROOT

CLEAN_ENV = {k: v for k, v in os.environ.items() if not k.startswith(("PG", "FEEDS_DSN"))}


def feeds(*args, env=None):
    return subprocess.run([str(ROOT / "bin/feeds"), *args], env=env or os.environ, capture_output=True, text=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_version_and_help_exit_0():
    from shims.cli import __version__
    r = feeds("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"feeds {__version__}"
    r = feeds("--help")
    assert r.returncode == 0
    for command in ("install", "uninstall", "doctor", "client add", "client remove", "run", "load"):
        assert f"  {command} " in r.stdout
    assert "-h, --host" in r.stdout


def test_bad_usage_is_2():
    assert feeds().returncode == 2
    r = feeds("--frobnicate", "status")
    assert r.returncode == 2 and "unknown option '--frobnicate'" in r.stderr
    r = feeds("-d")
    assert r.returncode == 2 and "-d needs a value" in r.stderr
    assert feeds("nosuchcommand").returncode == 2


def test_connection_options_reach_every_command():
    """-d/-h/-p/-U alone, with no PG* variable set, bring `feeds status` to the database."""
    env = dict(CLEAN_ENV, FEEDS_DB_RETRIES="0")
    r = feeds("-d", os.environ["PGDATABASE"], "-h", os.environ["PGHOST"], "-p", os.environ["PGPORT"],
              "-U", "feeds_etl", "status", "--limit", "1", env=env)
    assert r.returncode == 0, r.stderr
    r = feeds(f"--dbname=nosuch_db_{os.getpid()}", "-h", os.environ["PGHOST"], f"-p{os.environ['PGPORT']}",
              "-U", "feeds_etl", "status", env=env)
    assert r.returncode == 1 and f"nosuch_db_{os.getpid()}" in r.stderr


@pytest.mark.parametrize("command", [["load", "--job", "x", str(ROOT / "README.md")], ["status"]])
def test_a_database_that_cannot_be_reached_is_exit_1_everywhere(command):
    env = dict(CLEAN_ENV, FEEDS_DB_RETRIES="0", PGCONNECT_TIMEOUT="2")
    r = feeds("-h", "127.0.0.1", "-p", str(free_port()), "-U", "feeds_etl", "-d", "feeds", *command, env=env)
    assert r.returncode == 1, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr


def wrapper(env_file, tmp_path, *args):
    env = dict(os.environ, FEEDS_ENV_FILE=str(env_file), FEEDS_LOG_DIR=str(tmp_path / "logs"))
    return subprocess.run([str(ROOT / "bin/run_python_etl_script.sh"), *args], env=env,
                          capture_output=True, text=True)


def test_env_file_one_rule_for_the_wrapper_and_python(tmp_path):
    """0600 and 0640 are read, by the wrapper through Python's parser; anything looser is refused by
    both with the same message; nothing in the file is expanded or run by bash."""
    from shims.config import ConfigError, read_env_file
    marker = tmp_path / "ran"
    env_file = tmp_path / "feeds.env"
    env_file.write_text(f"# settings\nexport FEEDS_A='x $(touch {marker}) `touch {marker}`'\nFEEDS_B=\"b c\"\n"
                        f"FEEDS_C=$(touch {marker})\nPGAPPNAME=feeds-wrapper-test\n")
    for mode in (0o600, 0o640):
        os.chmod(env_file, mode)
        assert read_env_file(env_file)["FEEDS_A"] == f"x $(touch {marker}) `touch {marker}`"
        r = wrapper(env_file, tmp_path, "--version")
        assert r.returncode == 0, r.stderr
    assert not marker.exists()
    log = next((tmp_path / "logs").glob("feeds_*.log")).read_text()
    assert "feeds 0." in log and "exit 0" in log
    for mode in (0o644, 0o660, 0o604):
        os.chmod(env_file, mode)
        with pytest.raises(ConfigError, match="chmod 600"):
            read_env_file(env_file)
        r = wrapper(env_file, tmp_path, "--version")
        assert r.returncode == 2 and "chmod 600" in r.stderr and str(env_file) in r.stderr


def test_env_file_exports_exactly_the_values():
    """What the wrapper evals: the values, quoted for bash, read back unchanged by bash."""
    import tempfile
    with tempfile.NamedTemporaryFile("w", suffix=".env", delete=False) as f:
        f.write("FEEDS_Q=it's \"quoted\" $HOME\nexport FEEDS_EMPTY=\n")
    os.chmod(f.name, 0o600)
    try:
        r = subprocess.run(["bash", "-c", f'eval "$({sys.executable} -m shims.config --export {f.name})"; '
                            'printf "%s|%s" "$FEEDS_Q" "$FEEDS_EMPTY"'],
                           env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        assert r.stdout == "it's \"quoted\" $HOME|"
    finally:
        os.unlink(f.name)


def test_bad_env_line_names_file_line_and_column(tmp_path):
    from shims.config import ConfigError, read_env_file
    f = tmp_path / "bad.env"
    f.write_text("FEEDS_OK=1\n\nnot a setting\n")
    os.chmod(f, 0o600)
    with pytest.raises(ConfigError, match=rf"{f}, line 3, column 1"):
        read_env_file(f)


def test_pip_install_gives_a_feeds_console_script(tmp_path):
    r = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--disable-pip-version-check",
                        "--target", str(tmp_path / "site"), str(ROOT)], capture_output=True, text=True)
    if r.returncode != 0 and "setuptools" in r.stderr and "No matching distribution" in r.stderr:
        pytest.skip("pip cannot fetch setuptools to build the package (no package index)")
    assert r.returncode == 0, r.stderr
    script = tmp_path / "site" / "bin" / "feeds"
    r = subprocess.run([str(script), "--version"], env=dict(os.environ, PYTHONPATH=str(tmp_path / "site")),
                       capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.startswith("feeds "), r.stderr
