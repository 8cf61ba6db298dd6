"""pg_cron schedules the in-database part (dba.run_import and the run's report): the schedule
exists, a run happens (cron.job_run_details, dba.trun), and it is removed again.

The throwaway cluster of bin/test preloads pg_cron (bin/pgcluster, when Debian's postgresql-15-cron
is installed) with cron.database_name = the test database; the Sqitch changes were deployed before
the extension existed here, which is the "deploys without pg_cron" case."""
import json
import time

import psycopg
import pytest


def preloaded(admin) -> bool:
    return "pg_cron" in admin.execute("SHOW shared_preload_libraries").fetchone()[0]


@pytest.fixture
def cron(admin):
    if not preloaded(admin):
        pytest.skip("pg_cron is not preloaded (install postgresql-15-cron; bin/setup does)")
    if admin.execute("SHOW cron.database_name").fetchone()[0] != admin.info.dbname:
        pytest.skip("cron.database_name is not the test database")
    created = admin.execute("SELECT NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron')").fetchone()[0]
    if created:
        # Before the extension exists, scheduling is refused with its own code and a way out.
        with pytest.raises(psycopg.Error) as e:
            admin.execute("SELECT dba.schedule_in_database()")
        assert e.value.diag.sqlstate == "FD090" and "CREATE EXTENSION pg_cron" in e.value.diag.message_hint
        assert admin.execute("SELECT dba.unschedule_in_database()").fetchone()[0] == 0
        admin.execute("CREATE EXTENSION pg_cron")
    yield admin
    admin.execute("SELECT dba.unschedule_in_database()")
    if created:
        admin.execute("DROP EXTENSION pg_cron")


@pytest.fixture
def empty_job(admin, workdir):
    admin.execute("CREATE SCHEMA IF NOT EXISTS pgcron_t")
    admin.execute("CREATE TABLE IF NOT EXISTS pgcron_t.items (code text, load_id bigint, line_no bigint)")
    admin.execute("GRANT USAGE ON SCHEMA pgcron_t TO feeds_owner")
    admin.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON pgcron_t.items TO feeds_owner")
    for d in ("in", "proc", "arch", "fail"):
        (workdir / d).mkdir(mode=0o2770)
    admin.execute(
        "INSERT INTO dba.timportconfig (job_name, file_pattern, inbox_dir, processing_dir, archive_dir, failed_dir,"
        " target_table, column_map) VALUES ('pgcron_t', '^pgcron_t\\.csv$', %s, %s, %s, %s, 'pgcron_t.items', %s)",
        (str(workdir / "in"), str(workdir / "proc"), str(workdir / "arch"), str(workdir / "fail"),
         json.dumps([{"source": "code", "target": "code"}])))
    (workdir / "proc" / "pgcron_t.csv").write_bytes(b"code\na\nb\n")
    admin.execute("SELECT dba.register_file('pgcron_t', 'pgcron_t.csv', encode(sha256(%s), 'hex'), %s)",
                  (b"code\na\nb\n", 9))  # as the watcher would: run_import reads only registered files
    yield "pgcron_t"
    admin.execute("DELETE FROM dba.tloaderror WHERE load_id IN (SELECT load_id FROM dba.tdataloads WHERE job_name = 'pgcron_t')")
    admin.execute("DELETE FROM dba.tdataloads WHERE job_name = 'pgcron_t'")
    admin.execute("DELETE FROM dba.timportconfig WHERE job_name = 'pgcron_t'")
    admin.execute("DROP SCHEMA pgcron_t CASCADE")


def test_schedule_runs_the_import_as_feeds_etl_and_is_removed(cron, empty_job):
    job_id = cron.execute("SELECT dba.schedule_in_database('* * * * *', p_job => %s)", (empty_job,)).fetchone()[0]
    row = cron.execute("SELECT jobname, schedule, username, database, command FROM cron.job WHERE jobid = %s",
                       (job_id,)).fetchone()
    assert row[:4] == ("feeds-import", "* * * * *", "feeds_etl", cron.info.dbname)
    assert "dba.run_scheduled_import" in row[4]
    # Rescheduling replaces the job, it does not add a second one.
    assert cron.execute("SELECT dba.schedule_in_database('* * * * *', p_job => %s)", (empty_job,)).fetchone()[0] == job_id

    # pg_cron starts jobs on the minute: wait for the run to be recorded (condition, not a sleep).
    deadline = time.monotonic() + 75
    while True:
        done = cron.execute("SELECT status, return_message FROM cron.job_run_details WHERE jobid = %s"
                            " AND status IN ('succeeded', 'failed') ORDER BY start_time DESC LIMIT 1",
                            (job_id,)).fetchone()
        if done or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert done is not None, "pg_cron did not run the job within 75 s"
    assert done[0] == "succeeded", done[1]
    # The run happened in the engine: a pg_cron run that loaded the waiting file, finished.
    load = cron.execute("SELECT l.status, l.rows_inserted, r.process_type, r.finished_at IS NOT NULL"
                        "  FROM dba.tdataloads l JOIN dba.trun r USING (run_uuid)"
                        " WHERE l.job_name = %s", (empty_job,)).fetchone()
    assert load == ("loaded", 2, "pg_cron", True)

    assert cron.execute("SELECT dba.unschedule_in_database()").fetchone()[0] == 1
    assert cron.execute("SELECT count(*) FROM cron.job WHERE jobname LIKE 'feeds-%'").fetchone()[0] == 0


def test_feeds_etl_may_run_but_not_schedule(etl):
    assert etl.execute("SELECT has_function_privilege('dba.run_scheduled_import(text[], text)', 'execute')"
                       ).fetchone()[0]
    assert not etl.execute("SELECT has_function_privilege('dba.schedule_in_database(text, text[], text, text)',"
                           " 'execute')").fetchone()[0]
