"""`quizapp serve`: textual-serve's server with a gate in front, one tracked app process per visitor.

textual-serve (a dependency, never patched) starts one app process per browser websocket. This
subclass adds what a study server needs on top of it:

- :func:`quizapp.web.gate.make_gate` in front of every route (token, loopback, same-origin websocket);
- page URLs derived from the request (so ``--host 0.0.0.0`` serves a page a phone can use, and a
  TLS proxy that sends ``X-Forwarded-Proto: https`` gets ``wss://``);
- app processes started without a shell, each in its own session (Ctrl-C in the terminal reaches
  the server only, which then quits every app in order), tracked, and on shutdown asked to quit,
  then terminated, then killed — never left behind;
- no access log and a log formatter that blanks the token, so the token is printed once and never
  logged.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from typing import Any

import aiohttp_jinja2
from aiohttp import WSCloseCode, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from quizapp.web.gate import make_gate, page_scheme

log = logging.getLogger("quizapp.serve")

QUIT_PATIENCE = 3.0  # seconds an app gets to quit when asked, then SIGTERM
TERM_PATIENCE = 2.0  # then SIGKILL


class AppProcess(AppService):
    """One visitor's app: started with ``argv`` (no shell) in a session of its own, closed for sure."""

    def __init__(self, argv: list[str], **kwargs: Any) -> None:
        super().__init__(" ".join(argv), **kwargs)
        self.argv = argv
        self._closing: asyncio.Task[None] | None = None

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        env = self._build_environment(width=width, height=height)
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE, env=env, start_new_session=True)
        self._stdin = process.stdin
        return process

    async def set_terminal_size(self, width: object, height: object) -> None:
        """The browser's size, within reason (a page could ask for a million columns)."""
        await super().set_terminal_size(cells(width, 80, 10, 1000), cells(height, 24, 5, 1000))

    def close(self) -> asyncio.Task[None]:
        """Quit the app (idempotent: the websocket handler and a shutdown may both ask)."""
        if self._closing is None:
            self._closing = asyncio.ensure_future(self._close())
        return self._closing

    async def _close(self) -> None:
        try:
            await asyncio.wait_for(self.stop(), QUIT_PATIENCE)  # the app's own quit: it saves, then exits
        except (asyncio.TimeoutError, ConnectionError, RuntimeError):
            pass
        process = self._process
        if process is None:
            return
        for sig, patience in ((signal.SIGTERM, TERM_PATIENCE), (signal.SIGKILL, None)):
            if process.returncode is not None:
                break
            try:
                os.killpg(process.pid, sig)  # its session's group: anything it started goes too
            except (ProcessLookupError, PermissionError):
                pass
            try:
                await asyncio.wait_for(process.wait(), patience)
            except asyncio.TimeoutError:
                continue
        await process.wait()  # reaped: no zombie either


class QuizServer(Server):
    """Serve ``argv`` (the app's command line) on ``host``:``port``; ``token`` None: loopback only."""

    def __init__(self, argv: list[str], *, host: str, port: int, token: str | None) -> None:
        super().__init__(" ".join(argv), host=host, port=port, title="quizapp")
        self.argv = argv
        self.token = token
        self.apps: set[AppProcess] = set()
        self.sockets: set[web.WebSocketResponse] = set()

    # ---- the aiohttp application ---------------------------------------------------------------

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(make_gate(self.token))
        return app

    async def on_startup(self, app: web.Application) -> None:
        """Quiet: :meth:`run` prints the address once it is listening."""

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        """textual-serve's page, with its URLs made from the address the browser used."""
        scheme = page_scheme(request)
        base = f"{scheme}://{request.host}"
        router = request.app.router
        static = f"{base}{router['static'].url_for(filename='/')}".rstrip("/") + "/"
        websocket = f"{'wss' if scheme == 'https' else 'ws'}://{request.host}{router['websocket'].url_for()}"
        return {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": websocket,
            "config": {"static": {"url": static}},
            "application": {"name": self.title},
        }

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One app process per browser websocket, for as long as the socket is open."""
        websocket = web.WebSocketResponse(heartbeat=15)
        width = cells(request.query.get("width"), 80, 10, 1000)
        height = cells(request.query.get("height"), 24, 5, 1000)
        app: AppProcess | None = None
        try:
            await websocket.prepare(request)
            self.sockets.add(websocket)
            app = AppProcess(self.argv, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                             close=websocket.close, download_manager=self.download_manager)
            self.apps.add(app)
            await app.start(width, height)
            await self._process_messages(websocket, app)
        except asyncio.CancelledError:
            pass
        except Exception as error:  # noqa: BLE001 — a bad message from a browser ends its session only
            log.warning("session ended: %s", error)
        finally:
            self.sockets.discard(websocket)
            if app is not None:
                await asyncio.shield(app.close())
                self.apps.discard(app)
            if not websocket.closed:
                await websocket.close()
        return websocket

    # ---- running -----------------------------------------------------------------------------

    def initialize_logging(self) -> None:
        """Warnings and errors to stderr, plain (no locals in tracebacks), the token blanked."""
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(_Redacting(self.token, "quizapp serve: %(message)s"))
        root = logging.getLogger()
        root.handlers[:] = [handler]
        root.setLevel(logging.WARNING)

    async def run(self, announce) -> None:
        """Listen, call ``announce(port)`` once listening, serve until SIGINT/SIGTERM, then close every
        app process and stop. Raises OSError when the address cannot be bound."""
        self.initialize_logging()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        runner = web.AppRunner(await self._make_app(), access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.port).start()
            announce(runner.addresses[0][1])
            await stop.wait()
            await self.close_all()
        finally:
            await runner.cleanup()

    async def close_all(self) -> None:
        """Every browser told the server is going away; every app process quit (or ended)."""
        for websocket in list(self.sockets):
            await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"quizapp serve stopped")
        await asyncio.gather(*(app.close() for app in list(self.apps)), return_exceptions=True)


def cells(value: object, default: int, least: int, most: int) -> int:
    """A terminal dimension from the browser: a whole number clamped to [least, most], else default."""
    try:
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        return default
    return min(max(number, least), most)


class _Redacting(logging.Formatter):
    def __init__(self, token: str | None, fmt: str) -> None:
        super().__init__(fmt)
        self.token = token

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        return text.replace(self.token, "[token]") if self.token else text
