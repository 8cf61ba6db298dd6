"""Client uploads over chrooted SFTP, for real: `feeds client add` makes the account, a real sshd
on 127.0.0.1 runs with the installed snippet (Included, as sshd_config.d/*.conf is), a client
uploads a file, the watcher takes it from the client's upload directory and the load records the
client's name. The client cannot leave its chroot, run a command, forward a port, read another
client's files, or log in with a password — while the global sshd configuration allows all of
that, so it is the snippet that forbids it."""
import json
import os
import secrets
import shutil
import subprocess
from pathlib import Path

import paramiko
import pytest

from conftest import ROOT
from sshd import SSHD, Sshd, keygen

pytestmark = [
    pytest.mark.skipif(os.geteuid() != 0, reason="client accounts are OS users and chroots need root"),
    pytest.mark.skipif(not Path(SSHD).exists(), reason="OpenSSH's sshd is not installed (bin/setup installs it)"),
]


def etl_group_ok():
    import grp
    try:
        return "postgres" in grp.getgrnam("etl_group").gr_mem
    except KeyError:
        return False


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if not etl_group_ok():
        pytest.skip("etl_group with the server's OS user in it is missing (bin/setup creates it)")
    tag = secrets.token_hex(3)
    # A chroot's every parent must be root-owned and writable by nobody else: not under /tmp.
    root = Path("/var/lib") / f"feeds_t_{tag}"
    root.mkdir(mode=0o755)
    tmp = tmp_path_factory.mktemp("clients")
    s = {"root": root, "tag": tag, "sftp_group": f"feeds_t_{tag}s", "a": f"feeds_t_{tag}a", "b": f"feeds_t_{tag}b",
         "tmp": tmp}
    for c in ("a", "b"):
        s[f"{c}_key"] = keygen(tmp / f"{c}_key")
    yield s
    for c in ("a", "b"):
        client(s, "remove", s[c])
        subprocess.run(["userdel", s[c]], capture_output=True)
    subprocess.run(["groupdel", s["sftp_group"]], capture_output=True)
    shutil.rmtree(root, ignore_errors=True)


def client(s, command, name, *args):
    return subprocess.run([str(ROOT / "bin/feeds"), "client", command, name, "--root", str(s["root"]),
                           "--sftp-group", s["sftp_group"], "--database", os.environ["PGDATABASE"], *args],
                          capture_output=True, text=True, env=dict(os.environ, PGUSER="postgres"))


@pytest.fixture(scope="module")
def job(site):
    import psycopg
    dsn = f"host={os.environ['PGHOST']} port={os.environ['PGPORT']} dbname={os.environ['PGDATABASE']} user=postgres"
    work = Path(os.environ["FEEDS_TEST_DIR"]) / f"clients-{site['tag']}"
    old = os.umask(0o007)
    try:
        for d in ("in", "proc", "arch", "fail"):
            (work / d).mkdir(parents=True, mode=0o2770)
    finally:
        os.umask(old)
    with psycopg.connect(dsn, autocommit=True) as c:
        c.execute("CREATE SCHEMA up_t")
        c.execute("CREATE TABLE up_t.items (code text, qty int, load_id bigint, line_no bigint)")
        c.execute("GRANT USAGE ON SCHEMA up_t TO feeds_owner")
        c.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON up_t.items TO feeds_owner")
        c.execute("INSERT INTO dba.timportconfig (job_name, file_pattern, inbox_dir, processing_dir, archive_dir,"
                  " failed_dir, target_table, column_map) VALUES ('up_t', '^up_t_\\d+\\.csv$', %s, %s, %s, %s,"
                  " 'up_t.items', %s)", (*(str(work / d) for d in ("in", "proc", "arch", "fail")),
                                         json.dumps([{"source": "code", "target": "code"},
                                                     {"source": "qty", "target": "qty", "type": "integer"}])))
        yield c
        c.execute("DELETE FROM dba.tclient WHERE client_name LIKE %s", (f"feeds_t_{site['tag']}%",))
        c.execute("DELETE FROM dba.tloaderror WHERE load_id IN (SELECT load_id FROM dba.tdataloads WHERE job_name = 'up_t')")
        c.execute("DELETE FROM dba.tdataloads WHERE job_name = 'up_t'")
        c.execute("DELETE FROM dba.timportconfig WHERE job_name = 'up_t'")
        c.execute("DROP SCHEMA up_t CASCADE")


@pytest.fixture(scope="module")
def server(site, job):
    for c, args in (("a", ["--job", "up_t"]), ("b", [])):
        r = client(site, "add", site[c], "--key", f"{site[f'{c}_key']}.pub", *args)
        assert r.returncode == 0, r.stdout + r.stderr
    snippet = site["root"] / "etc/ssh/sshd_config.d/feeds-upload.conf"
    srv = Sshd(site["tmp"])
    # Permissive on purpose: passwords, forwarding and TTYs are allowed here; the snippet forbids them.
    srv.config.write_text("\n".join([
        f"ListenAddress 127.0.0.1:{srv.port}", f"HostKey {srv.host_key}", f"PidFile {srv.pid_file}",
        "UsePAM no", "PasswordAuthentication yes", "KbdInteractiveAuthentication no", "PubkeyAuthentication yes",
        "AllowTcpForwarding yes", "PermitTTY yes", "Subsystem sftp internal-sftp", "LogLevel VERBOSE",
        f"AllowUsers {site['a']} {site['b']}", f"Include {snippet}", ""]))
    with srv:
        yield srv


def sftp_as(site, server, c, **kw):
    ssh = paramiko.SSHClient()
    ssh.load_host_keys(str(server.known_hosts))
    auth = kw or {"key_filename": str(site[f"{c}_key"])}
    try:
        ssh.connect("127.0.0.1", port=server.port, username=site[c], look_for_keys=False, allow_agent=False,
                    timeout=10, **auth)
    except paramiko.AuthenticationException as e:
        e.args = (f"{e}; sshd log:\n{server.log_file.read_text()[-2000:]}",)
        raise
    return ssh


def test_add_made_a_chrooted_key_only_account(site, server):
    import grp
    import pwd
    pw = pwd.getpwnam(site["a"])
    assert pw.pw_shell == "/usr/sbin/nologin" and grp.getgrgid(pw.pw_gid).gr_name == site["sftp_group"]
    chroot = site["root"] / "srv/sftp" / site["a"]
    assert (chroot.stat().st_uid, oct(chroot.stat().st_mode & 0o7777)) == (0, "0o755")
    assert oct((chroot / "upload").stat().st_mode & 0o7777) == "0o2770"
    r = subprocess.run([SSHD, "-t", "-f", str(server.config)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert client(site, "add", site["a"], "--key", f"{site['a_key']}.pub", "--job", "up_t").stdout.count(
        "ok, unchanged") == 5
    assert client(site, "add", "Bad Name", "--key", f"{site['a_key']}.pub").returncode == 2
    assert client(site, "add", site["a"], "--key", str(site["a_key"])).returncode == 2  # a private key


def test_upload_is_loaded_with_the_client_name(site, server, job):
    with sftp_as(site, server, "a") as ssh:
        sftp = ssh.open_sftp()
        assert sftp.normalize(".") == "/upload"  # ForceCommand internal-sftp -d /upload
        with sftp.open("up_t_1.csv.part", "w") as f:
            f.write("code,qty\nx,1\ny,2\n")
        sftp.rename("up_t_1.csv.part", "up_t_1.csv")
    env = dict(os.environ, PGUSER="feeds_etl", FEEDS_STATE_DIR=str(site["tmp"] / "state"))
    r = subprocess.run([str(ROOT / "bin/feeds"), "watch", "--once", "--settle", "0"], env=env,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    job.execute("SELECT * FROM dba.run_import(p_job => 'up_t')")
    row = job.execute("SELECT status, rows_inserted, client_name FROM dba.tdataloads WHERE job_name = 'up_t'"
                      " AND file_name = 'up_t_1.csv'").fetchone()
    assert row == ("loaded", 2, site["a"])


def test_client_cannot_leave_its_chroot_or_read_another_clients_files(site, server):
    with sftp_as(site, server, "b") as ssh:
        with ssh.open_sftp().open("secret_b.txt", "w") as f:
            f.write("b's data")
    b_upload = site["root"] / "srv/sftp" / site["b"] / "upload"
    assert (b_upload / "secret_b.txt").exists()
    with sftp_as(site, server, "a") as ssh:
        sftp = ssh.open_sftp()
        assert sftp.listdir("/") == ["upload"]
        assert sftp.normalize("../../..") == "/"
        for path in ("/etc/passwd", "/../../etc/passwd", str(b_upload / "secret_b.txt"),
                     f"/../{site['b']}/upload/secret_b.txt"):
            with pytest.raises(IOError):
                sftp.open(path).read()


def test_client_gets_no_shell_no_forwarding_no_password(site, server):
    with sftp_as(site, server, "a") as ssh:
        _, out, _ = ssh.exec_command("id; cat /etc/passwd", timeout=10)
        out.channel.shutdown_write()
        assert b"uid=" not in out.read()  # ForceCommand internal-sftp: no command runs
        with pytest.raises(paramiko.ChannelException):
            ssh.get_transport().open_channel("direct-tcpip", ("127.0.0.1", int(os.environ["PGPORT"])),
                                             ("127.0.0.1", 0), timeout=10)
    subprocess.run(["chpasswd"], input=f"{site['a']}:Secret-{site['tag']}-pw\n", text=True, check=True)
    with pytest.raises(paramiko.AuthenticationException):
        sftp_as(site, server, "a", password=f"Secret-{site['tag']}-pw")


def test_remove_takes_the_account_away(site, server, job):
    import pwd
    r = client(site, "remove", site["a"])
    assert r.returncode == 0, r.stdout + r.stderr
    with pytest.raises(KeyError):
        pwd.getpwnam(site["a"])
    assert not (site["root"] / "etc/ssh/authorized_keys" / site["a"]).exists()
    assert job.execute("SELECT count(*) FROM dba.tclient WHERE client_name = %s", (site["a"],)).fetchone()[0] == 0
    # Its loads keep the name; a client with files still waiting keeps its directory.
    assert job.execute("SELECT count(*) FROM dba.tdataloads WHERE client_name = %s", (site["a"],)).fetchone()[0] == 1
    r = client(site, "remove", site["b"])
    assert r.returncode == 0 and "still wait" in r.stdout
    assert (site["root"] / "srv/sftp" / site["b"] / "upload/secret_b.txt").exists()
