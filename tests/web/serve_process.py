"""`quizapp serve` as a real subprocess for the tests: started on a free loopback port, stopped the way
a terminal's Ctrl-C stops it (SIGINT to its process group), its app processes found in /proc."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import aiohttp

URL = re.compile(r"(http://127\.0\.0\.1:\d+/(?:\?token=[A-Za-z0-9_\-]+)?)")


class Served:
    def __init__(self, data_dir: Path, *options: str, start_timeout: float = 20.0) -> None:
        self.data_dir = data_dir
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "quizapp", "serve", "--port", "0", "--data-dir", str(data_dir), *options],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            start_new_session=True)  # its own group, as a shell's foreground job is
        self.out: list[str] = []
        self.err: list[str] = []
        self._first_line = threading.Event()
        for stream, sink in ((self.proc.stdout, self.out), (self.proc.stderr, self.err)):
            threading.Thread(target=self._read, args=(stream, sink), daemon=True).start()
        self.started = time.monotonic()
        if not self._first_line.wait(start_timeout) or not self.out:
            self.kill()
            raise AssertionError(f"quizapp serve did not start within {start_timeout}s: {self.output()}")
        found = URL.search(self.out[0])
        assert found, self.out[0]
        self.url = found.group(1)
        self.base = self.url.split("?")[0].rstrip("/")
        self.token = self.url.split("?token=")[1] if "?token=" in self.url else None

    def _read(self, stream, sink: list[str]) -> None:
        for line in stream:
            sink.append(line)
            if sink is self.out:
                self._first_line.set()
        self._first_line.set()

    def output(self) -> str:
        return "".join(self.out) + "".join(self.err)

    def app_pids(self) -> list[int]:
        return app_processes(self.data_dir)

    def interrupt(self) -> None:
        """Ctrl-C: SIGINT to the foreground process group (the server's; its apps have their own)."""
        os.killpg(self.proc.pid, signal.SIGINT)

    def wait(self, timeout: float) -> int:
        code = self.proc.wait(timeout)
        time.sleep(0.05)  # the reader threads catch the last lines
        return code

    def kill(self) -> None:
        """Clean-up after a failed test: the server and any app it left, each by its id."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        for pid in app_processes(self.data_dir):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def app_processes(data_dir: Path) -> list[int]:
    """Every running process `python -m quizapp --data-dir DATA_DIR …` (not `serve`): the apps a
    server started for its browsers, read from /proc (psutil is no dependency). A zombie has no
    command line and is not listed; see :func:`zombie_children` for those."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            args = [a.decode(errors="replace") for a in (entry / "cmdline").read_bytes().split(b"\0") if a]
        except OSError:  # gone meanwhile
            continue
        if "-m" in args and "quizapp" in args and "serve" not in args and str(data_dir) in args:
            found.append(int(entry.name))
    return sorted(found)


def zombie_children(parent: int) -> list[int]:
    """Children of ``parent`` that ended and were never reaped (state Z in /proc/PID/stat)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] == "Z" and int(fields[1]) == parent:
            found.append(int(entry.name))
    return found


ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|.)")


class AppSocket:
    """One session as textual-serve's page speaks it (no browser): keys in, the app's output out."""

    def __init__(self, socket: aiohttp.ClientWebSocketResponse) -> None:
        self.socket = socket
        self.raw = ""
        self.seen = 0

    @classmethod
    async def connect(cls, http: aiohttp.ClientSession, served: Served, *, width: int = 80,
                      height: int = 24) -> AppSocket:
        query = f"?width={width}&height={height}" + (f"&token={served.token}" if served.token else "")
        return cls(await http.ws_connect(served.base.replace("http:", "ws:") + "/ws" + query))

    async def keys(self, text: str) -> None:
        await self.socket.send_str(json.dumps(["stdin", text]))

    async def wait_for(self, text: str, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            screen = ANSI.sub("", self.raw)
            at = screen.find(text, self.seen)
            if at >= 0:
                self.seen = at + len(text)
                return
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{text!r} did not appear within {timeout}s:\n{screen[self.seen:][-1500:]}")
            try:
                message = await asyncio.wait_for(self.socket.receive(), left)
            except asyncio.TimeoutError:
                continue
            if message.type == aiohttp.WSMsgType.BINARY:
                self.raw += message.data.decode("utf-8", "replace")
            elif message.type != aiohttp.WSMsgType.TEXT:
                raise AssertionError(f"the session ended ({message.type.name}) before {text!r} appeared")
