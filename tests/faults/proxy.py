"""A TCP proxy for fault tests: put it between the service and one part (PostgreSQL, Redis, SMTP, WooCommerce)
and cut the line when the test says so.

    proxy = TcpProxy(("127.0.0.1", 5432)).start()  # or TcpProxy("/path/redis.sock"): a Unix socket behind
    # ... point the service at ("127.0.0.1", proxy.port) ...
    proxy.cut()             # every connection closed, new ones refused: the part is stopped
    proxy.cut(accept=True)  # every connection closed, new ones accepted and closed at once (a part that crashes
                            # on every connection, a load balancer with no backend)
    proxy.freeze()          # connections stay open but nothing passes either way: a partition or a hung part;
                            # the bytes wait, as TCP would keep them
    proxy.restore()         # listen and forward again; what waited during a freeze goes through now
    proxy.stop()

One thread serves every socket (a selector loop) and carries out the commands, so `cut()` has taken effect
when it returns: no connection made before it can still pass a byte.
"""
import queue
import selectors
import socket
import threading

CONNECT_TIMEOUT = 2.0  # the target is on this machine: anything slower is a failure
SEND_TIMEOUT = 5.0


class _Pair:
    """One client connection and its connection to the target; `open_sides` are the ones still reading."""

    def __init__(self, client, upstream=None):
        self.client, self.upstream = client, upstream
        self.open_sides = {client, upstream} - {None}

    def other(self, side):
        return self.upstream if side is self.client else self.client

    def close(self):
        for side in (self.client, self.upstream):
            if side is not None:
                side.close()


class TcpProxy:
    def __init__(self, target, host="127.0.0.1", port=0):
        """`target`: (host, port), or a Unix socket path."""
        self.target, self.host, self.port = target, host, port
        self.accepted = 0  # connections accepted so far, dropped ones included
        self._mode = "forward"  # forward | refuse | drop | freeze
        self._pairs, self._listener, self._thread = [], None, None
        self._selector = selectors.DefaultSelector()
        self._commands = queue.Queue()
        self._wake_reader, self._wake_writer = socket.socketpair()
        self._selector.register(self._wake_reader, selectors.EVENT_READ)

    @property
    def address(self):
        return self.host, self.port

    # --- what tests call ---------------------------------------------------------------------------------

    def start(self):
        self._listen()
        self._thread = threading.Thread(target=self._loop, name=f"tcp-proxy-{self.port}", daemon=True)
        self._thread.start()
        return self

    def cut(self, accept=False):
        """Close every connection; new ones are refused, or with `accept` accepted and closed at once."""
        self._run(self._cut, "drop" if accept else "refuse")

    def freeze(self):
        """Stop passing bytes in both directions, connections kept open; new ones are accepted and wait too."""
        self._run(self._set_mode, "freeze")

    def restore(self):
        """Listen and forward again (the same port)."""
        self._run(self._restore)

    def stop(self):
        if self._thread is not None:
            self._run(self._shut_down)
            self._thread.join(timeout=5)
            self._thread = None
        self._selector.close()
        self._wake_reader.close()
        self._wake_writer.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # --- commands, carried out by the loop thread ----------------------------------------------------------

    def _run(self, command, *args):
        done = threading.Event()
        self._commands.put((command, args, done))
        self._wake_writer.send(b"x")
        assert done.wait(10), "the proxy's thread did not answer"

    def _cut(self, mode):
        for pair in list(self._pairs):
            self._close(pair)
        if mode == "refuse":
            self._unlisten()
        self._mode = mode

    def _set_mode(self, mode):
        self._mode = mode
        for pair in self._pairs:
            self._watch_pair(pair)

    def _restore(self):
        if self._listener is None:
            self._listen()
        for pair in [p for p in self._pairs if p.upstream is None]:  # accepted during a freeze
            self._connect_upstream(pair)
        self._set_mode("forward")

    def _shut_down(self):
        for pair in list(self._pairs):
            self._close(pair)
        self._unlisten()
        self._mode = "stopped"

    # --- the loop ------------------------------------------------------------------------------------------

    def _loop(self):
        while self._mode != "stopped":
            for key, _ in self._selector.select(timeout=1.0):
                if key.fileobj is self._wake_reader:
                    self._take_commands()
                elif key.fileobj is self._listener:
                    self._accept()
                elif key.data in self._pairs:
                    self._forward(key.fileobj, key.data)

    def _take_commands(self):
        self._wake_reader.recv(1024)
        while not self._commands.empty():
            command, args, done = self._commands.get()
            try:
                command(*args)
            finally:
                done.set()

    def _accept(self):
        try:
            client, _ = self._listener.accept()
        except OSError:
            return
        self.accepted += 1
        if self._mode == "drop":
            client.close()
            return
        client.settimeout(SEND_TIMEOUT)
        pair = _Pair(client)
        self._pairs.append(pair)
        if self._mode == "freeze":
            return  # connected to nothing yet: a partition lets no handshake through to the target either
        if self._connect_upstream(pair):
            self._watch_pair(pair)

    def _connect_upstream(self, pair):
        family = socket.AF_UNIX if isinstance(self.target, str) else socket.AF_INET
        upstream = socket.socket(family, socket.SOCK_STREAM)
        upstream.settimeout(CONNECT_TIMEOUT)
        try:
            upstream.connect(self.target)
        except OSError:
            upstream.close()
            self._close(pair)  # the target itself is down: the client sees its connection closed
            return False
        upstream.settimeout(SEND_TIMEOUT)
        pair.upstream = upstream
        pair.open_sides.add(upstream)
        return True

    def _forward(self, side, pair):
        try:
            data = side.recv(65536)
            if data:
                pair.other(side).sendall(data)
                return
            # End of stream from this side: pass the half-close on, keep the other direction open.
            pair.open_sides.discard(side)
            self._unwatch(side)
            pair.other(side).shutdown(socket.SHUT_WR)
            if not pair.open_sides:
                self._close(pair)
        except OSError:
            self._close(pair)

    def _watch_pair(self, pair):
        """Read the pair's open sides while forwarding; leave them unread (bytes wait in the kernel) otherwise."""
        for side in pair.open_sides:
            if self._mode == "forward" and pair.upstream is not None:
                if not self._is_registered(side):
                    self._selector.register(side, selectors.EVENT_READ, pair)
            else:
                self._unwatch(side)

    def _unwatch(self, side):
        if self._is_registered(side):
            self._selector.unregister(side)

    def _is_registered(self, side):
        try:
            self._selector.get_key(side)
            return True
        except (KeyError, ValueError):
            return False

    def _close(self, pair):
        for side in (pair.client, pair.upstream):
            if side is not None:
                self._unwatch(side)
        pair.close()
        if pair in self._pairs:
            self._pairs.remove(pair)

    def _listen(self):
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.host, self.port))
        listener.listen(64)
        listener.setblocking(False)
        self.port = listener.getsockname()[1]
        self._listener = listener
        self._selector.register(listener, selectors.EVENT_READ)

    def _unlisten(self):
        if self._listener is not None:
            self._selector.unregister(self._listener)
            self._listener.close()
            self._listener = None
