"""A real OpenSSH sshd for the tests, on 127.0.0.1 and a free port, stopped at teardown.

Everything lives in one temporary directory: a fresh host key, a client key whose public half is
the only authorized key, the sshd_config (internal-sftp, public keys only, no PAM), the pid file,
the server log, and a known_hosts file that trusts the host key. The test logs in as the current
OS user (root is allowed with `PermitRootLogin prohibit-password`, keys only).

    with Sshd(tmp_path) as server:
        server.remote_dir            # a directory the SFTP user can read and write
        server.env()                 # FEEDS_SFTP_* variables for sftp_pull
        server.stop(); server.start()  # outage tests
"""
from __future__ import annotations

import getpass
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

SSHD = os.environ.get("FEEDS_SSHD", "/usr/sbin/sshd")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def keygen(path: Path, kind: str = "ed25519") -> Path:
    subprocess.run(["ssh-keygen", "-q", "-t", kind, "-N", "", "-C", "feeds-test", "-f", str(path)],
                   check=True, capture_output=True)
    return path


class Sshd:
    def __init__(self, base: Path, port: int | None = None):
        self.base = Path(base) / "sshd"
        self.base.mkdir(parents=True, exist_ok=True)
        os.chmod(self.base, 0o700)
        self.port = port or free_port()
        self.user = getpass.getuser()
        self.host_key = keygen(self.base / "ssh_host_ed25519_key")
        self.client_key = keygen(self.base / "client_ed25519")
        self.authorized_keys = self.base / "authorized_keys"
        shutil.copy(self.base / "client_ed25519.pub", self.authorized_keys)
        os.chmod(self.authorized_keys, 0o600)
        self.remote_dir = self.base / "home" / "vinkOS" / "archivosVisitas"
        self.remote_dir.mkdir(parents=True)
        self.known_hosts = self.base / "known_hosts"
        self.write_known_hosts()
        self.pid_file = self.base / "sshd.pid"
        self.log_file = self.base / "sshd.log"
        self.config = self.base / "sshd_config"
        self.config.write_text("\n".join([
            f"ListenAddress 127.0.0.1:{self.port}",
            f"HostKey {self.host_key}",
            f"PidFile {self.pid_file}",
            f"AuthorizedKeysFile {self.authorized_keys}",
            "PubkeyAuthentication yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PermitRootLogin prohibit-password",
            "StrictModes no",
            "UsePAM no",
            "X11Forwarding no",
            "AllowTcpForwarding no",
            "Subsystem sftp internal-sftp",
            f"AllowUsers {self.user}",
            "LogLevel VERBOSE",
            "",
        ]))
        self.proc: subprocess.Popen | None = None

    def host_public_key(self) -> str:
        return (self.base / "ssh_host_ed25519_key.pub").read_text().split()[:2]

    def write_known_hosts(self, path: Path | None = None) -> Path:
        kind, blob = self.host_public_key()
        path = path or self.known_hosts
        path.write_text(f"[127.0.0.1]:{self.port} {kind} {blob}\n")
        return path

    def env(self, **extra) -> dict:
        env = {
            "FEEDS_SFTP_HOST": "127.0.0.1",
            "FEEDS_SFTP_PORT": str(self.port),
            "FEEDS_SFTP_USER": self.user,
            "FEEDS_SFTP_KEY_FILE": str(self.client_key),
            "FEEDS_SFTP_KNOWN_HOSTS": str(self.known_hosts),
            "FEEDS_SFTP_REMOTE_DIR": str(self.remote_dir),
        }
        env.update({k: str(v) for k, v in extra.items()})
        return env

    def start(self, timeout: float = 15.0) -> "Sshd":
        if os.geteuid() == 0:
            Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege separation dir
        log = open(self.log_file, "ab")
        self.proc = subprocess.Popen([SSHD, "-D", "-e", "-f", str(self.config)],
                                     stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"sshd exited with {self.proc.returncode}:\n{self.log_file.read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                    if s.recv(4).startswith(b"SSH-"):
                        return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"sshd did not listen on port {self.port}:\n{self.log_file.read_text()}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def __enter__(self) -> "Sshd":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
