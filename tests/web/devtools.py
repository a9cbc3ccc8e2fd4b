"""A headless Chromium (Debian's package) driven over the DevTools protocol, for the serve tests.

Just enough of the protocol, over the aiohttp websocket client textual-serve already brings: open a
tab, type keys into it as a keyboard would (``Input.dispatchKeyEvent``: xterm.js in the page turns
them into the app's input), read what the app drew, take a screenshot. The app's screen is a WebGL
canvas, so its text is read from the terminal output the page receives: a script installed before
the page loads keeps a copy of every websocket message. The browser resolves no name but loopback.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import os
import re
import shutil
import signal
import time
from pathlib import Path
from typing import Any

import aiohttp

ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|.)")

# Installed before any page script runs: a copy of what the app sends, and the socket's URL.
RECORDER = """
(() => {
  const Native = window.WebSocket;
  const decoder = new TextDecoder();
  window.__served = {text: "", url: null, closed: false};
  window.WebSocket = function (url, protocols) {
    const socket = new Native(url, protocols);
    window.__served.url = url;
    socket.addEventListener("message", (event) => {
      if (typeof event.data !== "string") {
        window.__served.text += decoder.decode(event.data, {stream: true});
      }
    });
    socket.addEventListener("close", () => { window.__served.closed = true; });
    return socket;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
})();
"""

KEYS = {  # key → (key, code, keyCode, text) as a US keyboard sends them
    "space": (" ", "Space", 32, " "),
    "enter": ("Enter", "Enter", 13, "\r"),
    "escape": ("Escape", "Escape", 27, ""),
}


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Chromium:
    def __init__(self, process: asyncio.subprocess.Process, session: aiohttp.ClientSession,
                 socket: aiohttp.ClientWebSocketResponse) -> None:
        self.process, self._http, self._socket = process, session, socket
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future] = {}
        self._reader = asyncio.ensure_future(self._read())

    @classmethod
    async def start(cls, profile: Path, *, width: int, height: int, timeout: float = 20.0) -> Chromium:
        argv = [chromium_path(), "--headless=new", "--remote-debugging-port=0", f"--user-data-dir={profile}",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--mute-audio",
                "--disable-background-networking", "--enable-unsafe-swiftshader",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",  # loopback only
                f"--window-size={width},{height}", "about:blank"]
        if os.geteuid() == 0:
            argv.insert(1, "--no-sandbox")  # Chromium refuses to run its sandbox as root
        process = await asyncio.create_subprocess_exec(
            *argv, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE, start_new_session=True)
        try:
            endpoint = await asyncio.wait_for(cls._endpoint(process), timeout)
        except BaseException:
            await cls._kill(process)
            raise
        asyncio.ensure_future(cls._drain(process))
        http = aiohttp.ClientSession()
        socket = await http.ws_connect(endpoint, max_msg_size=0)
        return cls(process, http, socket)

    @staticmethod
    async def _endpoint(process: asyncio.subprocess.Process) -> str:
        assert process.stderr is not None
        while line := await process.stderr.readline():
            found = re.search(rb"DevTools listening on (ws://\S+)", line)
            if found:
                return found.group(1).decode()
        raise RuntimeError(f"chromium exited ({await process.wait()}) before opening DevTools")

    @staticmethod
    async def _drain(process: asyncio.subprocess.Process) -> None:
        assert process.stderr is not None
        while await process.stderr.read(65536):
            pass

    async def _read(self) -> None:
        async for message in self._socket:
            if message.type != aiohttp.WSMsgType.TEXT:
                break
            data = json.loads(message.data)
            future = self._pending.pop(data.get("id", -1), None)
            if future is not None and not future.done():
                if "error" in data:
                    future.set_exception(RuntimeError(f"DevTools: {data['error']}"))
                else:
                    future.set_result(data.get("result", {}))
        for future in self._pending.values():
            if not future.done():
                future.set_exception(RuntimeError("DevTools connection closed"))

    async def send(self, method: str, params: dict | None = None, session: str | None = None,
                   timeout: float = 10.0) -> dict[str, Any]:
        ident = next(self._ids)
        future = self._pending[ident] = asyncio.get_running_loop().create_future()
        message: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        await self._socket.send_str(json.dumps(message))
        return await asyncio.wait_for(future, timeout)

    async def open(self, url: str, size: tuple[int, int]) -> Tab:
        """A new tab whose page is ``size`` CSS pixels, opened on ``url``."""
        target = (await self.send("Target.createTarget", {"url": "about:blank"}))["targetId"]
        session = (await self.send("Target.attachToTarget", {"targetId": target, "flatten": True}))["sessionId"]
        tab = Tab(self, session, target)
        width, height = size
        await tab.send("Emulation.setDeviceMetricsOverride",
                       {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        await tab.send("Page.enable")
        await tab.send("Page.addScriptToEvaluateOnNewDocument", {"source": RECORDER})
        await tab.send("Emulation.setFocusEmulationEnabled", {"enabled": True})  # every tab keeps focus
        await tab.send("Page.navigate", {"url": url})
        return tab

    async def close(self) -> None:
        try:
            await self.send("Browser.close", timeout=5)
        except Exception:  # noqa: BLE001 — closing anyway
            pass
        self._reader.cancel()
        await self._http.close()
        try:
            await asyncio.wait_for(self.process.wait(), 5)
        except asyncio.TimeoutError:
            pass
        await self._kill(self.process)

    @staticmethod
    async def _kill(process: asyncio.subprocess.Process) -> None:
        """Chromium and its helper processes (its session's group), by the id we started it with."""
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        await process.wait()


class Tab:
    def __init__(self, browser: Chromium, session: str, target: str) -> None:
        self.browser, self.session, self.target = browser, session, target
        self.seen = 0  # how much of the app's output the last wait consumed

    async def send(self, method: str, params: dict | None = None, timeout: float = 10.0) -> dict[str, Any]:
        return await self.browser.send(method, params, self.session, timeout)

    async def evaluate(self, expression: str) -> Any:
        result = await self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        return result.get("result", {}).get("value")

    async def output(self) -> str:
        """The app's terminal output since the page opened, escape sequences removed."""
        return ANSI.sub("", await self.evaluate("window.__served ? window.__served.text : ''") or "")

    async def wait_for(self, text: str, timeout: float = 15.0) -> float:
        """Seconds until ``text`` appears in output not seen by the previous wait."""
        start = time.monotonic()
        while True:
            screen = await self.output()
            at = screen.find(text, self.seen)
            if at >= 0:
                self.seen = at + len(text)
                return time.monotonic() - start
            if time.monotonic() - start > timeout:
                tail = screen[self.seen:][-1500:]
                raise AssertionError(f"{text!r} did not appear within {timeout}s; the app drew:\n{tail}")
            await asyncio.sleep(0.05)

    async def press(self, key: str) -> None:
        """A key as the keyboard sends it, into the terminal (xterm.js's input area has the focus)."""
        await self.evaluate("document.querySelector('.xterm-helper-textarea').focus()")
        name, code, key_code, text = KEYS.get(key) or (key, f"Digit{key}" if key.isdigit() else f"Key{key.upper()}",
                                                       ord(key.upper()), key)
        common = {"key": name, "code": code, "windowsVirtualKeyCode": key_code, "nativeVirtualKeyCode": key_code}
        await self.send("Input.dispatchKeyEvent", {"type": "keyDown", "text": text, **common})
        await self.send("Input.dispatchKeyEvent", {"type": "keyUp", **common})

    async def close(self) -> None:
        await self.browser.send("Target.closeTarget", {"targetId": self.target})

    async def screenshot(self, path: Path) -> Path:
        data = (await self.send("Page.captureScreenshot", {"format": "png"}))["data"]
        path.write_bytes(base64.b64decode(data))
        return path
