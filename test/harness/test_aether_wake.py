# SPDX-License-Identifier: AGPL-3.0-or-later
# test_aether_wake.py: scripts/aether-wake on a serial device (a pty) and a unix socket: the harness's frames, in order.

import contextlib
import importlib.machinery
import importlib.util
import io
import os
import select
import socket
import sys
import tempfile
import threading
import unittest

SCRIPTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts")
sys.path.insert(0, SCRIPTS)

from aether_harness import frame, record  # noqa: E402

loader = importlib.machinery.SourceFileLoader("aether_wake", os.path.join(SCRIPTS, "aether-wake"))
aether_wake = importlib.util.module_from_spec(importlib.util.spec_from_loader("aether_wake", loader))
loader.exec_module(aether_wake)

EXPECTED = (frame.wake_frame(record.f32_bits(0.12), 1250) + frame.wake_frame(record.f32_bits(1.0), -7)
            + frame.shutdown_frame())
ARGS = ["--wake", "pressure=0.12,dose=1250", "--wake", "pressure=1.0,dose=-7", "--shutdown"]


def read_all(fd, length, timeout=5.0):
        """length bytes from fd: a pty hands them over in pieces."""
        data = b""
        while len(data) < length and select.select([fd], [], [], timeout)[0]:
                data += os.read(fd, length - len(data))
        return data


def quietly(argv):
        with contextlib.redirect_stdout(io.StringIO()) as out:
                code = aether_wake.main(argv)
        return code, out.getvalue()


class AetherWakeTest(unittest.TestCase):
        def test_serial_device_gets_the_frames(self):
                master, slave = os.openpty()
                self.addCleanup(os.close, master)
                self.addCleanup(os.close, slave)
                code, out = quietly(["--device", os.ttyname(slave)] + ARGS)
                self.assertEqual(code, 0)
                self.assertEqual(read_all(master, len(EXPECTED)), EXPECTED)
                self.assertIn("shutdown -> %s: a5 51 00 19" % os.ttyname(slave), out)

        def test_socket_gets_the_frames(self):
                with tempfile.TemporaryDirectory() as directory:
                        path = os.path.join(directory, "wake20.sock")
                        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                        server.bind(path)
                        server.listen(1)
                        received = bytearray()

                        def accept():
                                connection, _ = server.accept()
                                while True:
                                        chunk = connection.recv(4096)
                                        if not chunk:
                                                break
                                        received.extend(chunk)
                                connection.close()

                        thread = threading.Thread(target=accept)
                        thread.start()
                        code, _ = quietly(["--socket", path] + ARGS)
                        thread.join(timeout=5)
                        server.close()
                self.assertEqual(code, 0)
                self.assertEqual(bytes(received), EXPECTED)

        def test_print_shows_the_documented_frame(self):
                code, out = quietly(["--print", "--wake", "pressure=0.12,dose=1250", "--shutdown"])
                self.assertEqual(code, 0)
                self.assertEqual(out, "wake pressure=0.12 (0x3df5c28f) dose=1250: a5 57 08 8f c2 f5 3d e2 04 00 00 d1\n"
                                      "shutdown: a5 51 00 19\n")

        def test_missing_socket_is_reported(self):
                with contextlib.redirect_stderr(io.StringIO()) as err:
                        code, _ = quietly(["--socket", "/nonexistent/wake.sock", "--shutdown"])
                self.assertEqual(code, 1)
                self.assertIn("cannot open /nonexistent/wake.sock", err.getvalue())


if __name__ == "__main__":
        unittest.main()
