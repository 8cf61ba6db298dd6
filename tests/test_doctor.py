"""`feeds doctor` on a real installation (the session's `installation`: feeds install into a
temporary root and the throwaway cluster, shared with test_install): all ok on a good one; three
broken things are each named, with what to do, and the exit code is 1."""
import os

import pytest

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="feeds install creates OS users and groups: needs root")


@pytest.fixture
def inst(installation):
    return installation


def doctor(inst):
    return inst.feeds("doctor", "--min-free-mb", "1")


def items(r) -> dict[str, str]:
    out = {}
    for line in r.stdout.splitlines():
        state, _, rest = line.partition("  ")
        name, _, detail = rest.strip().partition(": ")
        if state in ("ok", "FAIL", "skip"):
            out[name] = (state, detail)
    return out


def test_a_good_install_is_all_ok(inst):
    r = doctor(inst)
    assert r.returncode == 0, r.stdout + r.stderr
    got = items(r)
    assert set(got) == {"account", "modes", "env file", "database", "tls", "sqitch", "cron", "sshd", "pg_cron", "disk"}
    assert all(state == "ok" for state, _ in got.values()), r.stdout
    assert "connected as feeds_etl" in got["database"][1] and got["tls"][1].startswith("on (TLS")
    assert r.stdout.rstrip().endswith("all ok")


def test_three_broken_things_are_each_named(inst):
    processing = inst.data / "processing"
    cron = inst.root / "etc/cron.d/feeds"
    saved = cron.read_text()
    os.chmod(inst.env_file, 0o644)
    os.chmod(processing, 0o777)
    cron.unlink()
    try:
        r = doctor(inst)
        got = items(r)
        assert r.returncode == 1
        assert got["env file"][0] == "FAIL" and "chmod 600" in got["env file"][1]
        assert got["modes"][0] == "FAIL" and f"{processing} is 0777" in got["modes"][1]
        assert got["cron"][0] == "FAIL" and "missing" in got["cron"][1]
        # The database item fails because the settings are refused; what depends on it is skipped.
        assert {n for n, (s, _) in got.items() if s == "FAIL"} == {"env file", "modes", "cron", "database"}
        assert got["tls"][0] == got["pg_cron"][0] == "skip"
    finally:
        os.chmod(inst.env_file, 0o640)
        os.chmod(processing, 0o2770)
        cron.write_text(saved)
        os.chmod(cron, 0o644)
