"""A PostgreSQL proxy on a unix socket that loses one reply, for tests of lost connections.

    with LoseReply(b"dba.register_file", directory) as proxy:
        ... connect with host=proxy.dir port=<the server's port> ...
    proxy.lost  # how many replies were lost (at most one)

Everything passes through unchanged until the client sends a message containing `marker`. The
server's answer to it is then held back up to and including ReadyForQuery (sent after the
statement committed), and both connections are closed instead: the statement committed and the
client never hears of it, as when a network drops a reply. `on_lost()` runs at that moment, before
the client sees the connection end. Server messages are typed (one byte and a length) from the
first one on; over a unix socket libpq sends no SSL or GSS request, so no other framing occurs.
"""
from __future__ import annotations

import os
import socket
import struct
import threading
from pathlib import Path


class LoseReply:
    def __init__(self, marker: bytes, directory: Path, on_lost=None):
        self.marker = marker
        self.dir = Path(directory)
        self.on_lost = on_lost or (lambda: None)
        self.port = os.environ["PGPORT"]
        self.upstream = os.path.join(os.environ["PGHOST"], f".s.PGSQL.{self.port}")
        self.lost = 0
        self._armed = threading.Event()
        self._lock = threading.Lock()

    def __enter__(self) -> "LoseReply":
        self.dir.mkdir(parents=True, exist_ok=True)
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(str(self.dir / f".s.PGSQL.{self.port}"))
        self._listener.listen()
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            server.connect(self.upstream)
            threading.Thread(target=self._client_to_server, args=(client, server), daemon=True).start()
            threading.Thread(target=self._server_to_client, args=(server, client), daemon=True).start()

    def _client_to_server(self, client: socket.socket, server: socket.socket) -> None:
        while data := _recv(client):
            with self._lock:
                if self.marker in data and not self.lost:
                    self._armed.set()
            try:
                server.sendall(data)
            except OSError:
                break
        _close(client, server)

    def _server_to_client(self, server: socket.socket, client: socket.socket) -> None:
        buf, held = b"", False
        while data := _recv(server):
            buf += data
            while len(buf) >= 5:
                kind, length = buf[:1], struct.unpack("!I", buf[1:5])[0]
                if len(buf) < 1 + length:
                    break
                message, buf = buf[:1 + length], buf[1 + length:]
                held = held or self._armed.is_set()
                if not held:
                    client.sendall(message)
                elif kind == b"Z":  # ReadyForQuery: the statement has committed; lose the reply
                    with self._lock:
                        self.lost += 1
                        self._armed.clear()
                    self.on_lost()
                    _close(client, server)
                    return
        _close(client, server)


def _recv(sock: socket.socket) -> bytes:
    try:
        return sock.recv(65536)
    except OSError:
        return b""


def _close(*socks: socket.socket) -> None:
    for s in socks:
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        s.close()
