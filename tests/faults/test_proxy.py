"""The fault tests' TCP proxy does what it says: forwards, cuts, drops, freezes and restores (an echo server behind)."""
import socket
import threading

import pytest

from tests.faults.proxy import TcpProxy


@pytest.fixture
def echo(tmp_path):
    """An echo server on loopback TCP; `echo.unix_path` is a second one on a Unix socket."""
    servers = [socket.create_server(("127.0.0.1", 0)), socket.socket(socket.AF_UNIX)]
    servers[1].bind(str(tmp_path / "echo.sock"))
    servers[1].listen()
    for server in servers:
        threading.Thread(target=_serve, args=(server,), daemon=True).start()
    yield type("Echo", (), {"address": servers[0].getsockname(), "unix_path": str(tmp_path / "echo.sock")})
    for server in servers:
        server.close()


def _serve(server):
    while True:
        try:
            connection, _ = server.accept()
        except OSError:
            return
        threading.Thread(target=_echo, args=(connection,), daemon=True).start()


def _echo(connection):
    with connection:
        while data := connection.recv(1024):
            connection.sendall(data)


@pytest.fixture
def proxy(echo):
    with TcpProxy(echo.address) as proxy:
        yield proxy


def connect(proxy):
    return socket.create_connection(proxy.address, timeout=2)


def test_it_forwards_both_ways_and_passes_a_half_close_on(proxy):
    with connect(proxy) as line:
        line.sendall(b"ping")
        assert line.recv(10) == b"ping"
        line.shutdown(socket.SHUT_WR)  # the echo server sees the end, and closes its side too
        assert line.recv(10) == b""


def test_a_cut_closes_open_connections_and_refuses_new_ones_until_restored(proxy):
    with connect(proxy) as line:
        proxy.cut()
        assert line.recv(10) == b""
    with pytest.raises(ConnectionRefusedError):
        connect(proxy)
    proxy.restore()
    with connect(proxy) as line:
        line.sendall(b"back")
        assert line.recv(10) == b"back"


def test_a_cut_that_accepts_closes_each_new_connection_at_once(proxy):
    proxy.cut(accept=True)
    with connect(proxy) as line:
        assert line.recv(10) == b""
    assert proxy.accepted == 1


def test_a_freeze_holds_the_bytes_of_old_and_new_connections_until_restored(proxy):
    with connect(proxy) as old:
        proxy.freeze()
        old.sendall(b"old")
        with connect(proxy) as new:
            new.sendall(b"new")
            old.settimeout(0.2)
            with pytest.raises(TimeoutError):
                old.recv(10)
            proxy.restore()
            new.settimeout(2)
            old.settimeout(2)
            assert (old.recv(10), new.recv(10)) == (b"old", b"new")


def test_it_forwards_to_a_unix_socket(echo):
    with TcpProxy(echo.unix_path) as proxy, connect(proxy) as line:
        line.sendall(b"unix")
        assert line.recv(10) == b"unix"
