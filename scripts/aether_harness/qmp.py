# SPDX-License-Identifier: AGPL-3.0-or-later
# qmp.py: a minimal QMP client (capabilities negotiation, commands, HMP passthrough).

import json
import socket
import time


class QmpError(RuntimeError):
        """QEMU answered a command with an error, or the monitor went away."""


class QmpClient:
        """One connection to a QMP unix socket; use as a context manager."""

        def __init__(self, path, timeout=10.0):
                deadline = time.monotonic() + timeout
                while True:
                        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                        try:
                                self._sock.connect(path)
                                break
                        except (FileNotFoundError, ConnectionRefusedError):
                                self._sock.close()
                                if time.monotonic() >= deadline:
                                        raise QmpError("cannot connect to QMP socket %s" % path)
                                time.sleep(0.02)
                self._sock.settimeout(timeout)
                self._buffer = b""
                self.events = []
                greeting = self._receive()
                if "QMP" not in greeting:
                        raise QmpError("no QMP greeting: %r" % greeting)
                self.command("qmp_capabilities")

        def _receive(self):
                while b"\n" not in self._buffer:
                        chunk = self._sock.recv(65536)
                        if not chunk:
                                raise QmpError("QMP connection closed")
                        self._buffer += chunk
                line, self._buffer = self._buffer.split(b"\n", 1)
                return json.loads(line)

        def command(self, name, **arguments):
                """Run a QMP command and return its "return" value; events are kept in .events."""
                message = {"execute": name}
                if arguments:
                        message["arguments"] = arguments
                self._sock.sendall(json.dumps(message).encode() + b"\n")
                while True:
                        reply = self._receive()
                        if "event" in reply:
                                self.events.append(reply)
                        elif "error" in reply:
                                raise QmpError("%s: %s" % (name, reply["error"].get("desc", reply["error"])))
                        elif "return" in reply:
                                return reply["return"]

        def hmp(self, command_line):
                """Run a human monitor command (e.g. "info registers") and return its text."""
                return self.command("human-monitor-command", **{"command-line": command_line})

        def close(self):
                self._sock.close()

        def __enter__(self):
                return self

        def __exit__(self, *exc):
                self.close()


def info_registers(qmp_socket_path, timeout=10.0):
        """The HMP "info registers" text of a running or stopped VM."""
        with QmpClient(qmp_socket_path, timeout) as client:
                return client.hmp("info registers")
