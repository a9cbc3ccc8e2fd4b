"""`quizapp serve` as a subprocess, spoken to the way its page speaks (aiohttp websocket clients, no
browser — these run where Chromium is absent): sessions grading at once lose nothing, requests
without the token or from elsewhere get 403, Ctrl-C leaves no app process behind, a busy port is a
one-line error."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time

import aiohttp
import pytest

from serve_process import AppSocket, Served, zombie_children

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the process table from /proc")


def review_count(data) -> int:
    with sqlite3.connect(f"{(data / 'collection.sqlite3').as_uri()}?mode=ro", uri=True) as db:
        return db.execute("SELECT COUNT(*) FROM reviews WHERE kind = 'review'").fetchone()[0]


async def test_three_sessions_grading_at_once_lose_nothing_and_ctrl_c_leaves_no_app(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    served = Served(data, "--require-token")
    try:
        async with aiohttp.ClientSession() as http:
            sessions = await asyncio.gather(*(AppSocket.connect(http, served, width=40, height=20)
                                              for _ in range(3)))
            await asyncio.gather(*(s.wait_for("Today:") for s in sessions))
            assert len(served.app_pids()) == 3
            for s in sessions:
                await s.keys("a")
            await asyncio.gather(*(s.wait_for("show the answer") for s in sessions))
            # Every session reveals and grades five cards as fast as the keys go: the three apps
            # write to the one collection at the same moments.
            await asyncio.gather(*(s.keys(" 3" * 5) for s in sessions))
            await asyncio.gather(*(s.wait_for("5 done") for s in sessions))
            assert review_count(data) == 15

            await sessions[0].socket.close()  # a tab closed: its app quits, and is reaped
            deadline = time.monotonic() + 10
            while len(served.app_pids()) != 2 and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
            assert len(served.app_pids()) == 2
            assert zombie_children(served.proc.pid) == []

            served.interrupt()  # Ctrl-C with two sessions still open
            assert await asyncio.to_thread(served.wait, 15) == 0, served.output()
        assert served.app_pids() == [], "app processes outlived the server"
        assert "stopped" in served.output() and "Traceback" not in served.output()
        assert served.output().count(served.token) == 1
        with sqlite3.connect(data / "collection.sqlite3") as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert review_count(data) == 15
    finally:
        served.kill()


async def test_without_the_token_every_route_is_403(tmp_path):
    served = Served(tmp_path, "--require-token")
    token = served.token
    try:  # a cookie jar that keeps cookies of an IP address, as a browser does
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            for url in (served.base + "/", f"{served.base}/?token={token[:-1]}", served.base + "/static/js/textual.js",
                        served.base + "/download/x", served.base + "/no-such-page", f"{served.base}/?token=é"):
                async with http.get(url) as response:
                    assert response.status == 403, url
                    assert token not in await response.text()
            for query in ("", "?token=", f"?token={token.upper()}"):
                with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                    await http.ws_connect(served.base.replace("http:", "ws:") + "/ws" + query)
                assert refused.value.status == 403
            async with http.get(served.url) as response:  # the printed link: the page, and the cookie
                assert response.status == 200
                cookie = response.headers["Set-Cookie"]
                assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
                assert response.headers["Referrer-Policy"] == "no-referrer"
            async with http.get(served.base + "/static/js/textual.js") as response:
                assert response.status == 200  # the cookie carries the token from now on
            behind_tls = {"Host": "quiz.example.org", "X-Forwarded-Proto": "https"}  # what a TLS proxy sends
            async with http.get(served.url, headers=behind_tls) as response:
                page = await response.text()
                assert 'data-session-websocket-url="wss://quiz.example.org/ws"' in page
                assert "https://quiz.example.org/static/js/textual.js" in page
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:  # another site's page
                await http.ws_connect(served.base.replace("http:", "ws:") + "/ws",
                                      headers={"Origin": "http://evil.example"})
            assert refused.value.status == 403
        served.interrupt()
        assert served.wait(15) == 0
        assert served.output().count(token) == 1  # printed once, never logged
    finally:
        served.kill()


async def test_loopback_without_token_refuses_other_hosts_and_proxies(tmp_path):
    served = Served(tmp_path)
    assert served.token is None and "token" not in served.output()
    try:
        async with aiohttp.ClientSession() as http:
            async with http.get(served.base + "/") as response:
                assert response.status == 200
                page = await response.text()
                assert f'data-session-websocket-url="{served.base.replace("http:", "ws:")}/ws"' in page
            for headers in ({"Host": "evil.example"}, {"Host": "evil.example:80"},  # DNS rebinding
                            {"X-Forwarded-For": "203.0.113.9"}, {"Forwarded": "for=203.0.113.9"}):
                async with http.get(served.base + "/", headers=headers) as response:
                    assert response.status == 403, headers
            async with http.get(served.base + "/", headers={"Host": "localhost"}) as response:
                assert response.status == 200
    finally:
        served.interrupt()
        served.wait(15)
        served.kill()


async def test_a_garbled_message_ends_that_session_only(tmp_path):
    served = Served(tmp_path)
    try:
        async with aiohttp.ClientSession() as http:
            broken = await AppSocket.connect(http, served)
            await broken.wait_for("Today:")
            await broken.socket.send_str("not json")
            with pytest.raises(AssertionError, match="session ended"):
                await broken.wait_for("never drawn", timeout=10)
            deadline = time.monotonic() + 10
            while served.app_pids() and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
            assert served.app_pids() == [] and zombie_children(served.proc.pid) == []
            fine = await AppSocket.connect(http, served)  # the server goes on
            await fine.socket.send_str('["resize", {"width": 99999999, "height": "tall"}]')
            await fine.wait_for("Today:")
            await fine.keys("a")
            await fine.wait_for("show the answer")
        served.interrupt()
        assert served.wait(15) == 0
        assert "session ended" in served.output() and "Traceback" not in served.output()
    finally:
        served.kill()


async def test_ctrl_c_ends_an_app_that_does_not_answer(tmp_path):
    """An app stopped dead (SIGSTOP: it cannot quit when asked, nor act on SIGTERM) is killed."""
    served = Served(tmp_path)
    try:
        async with aiohttp.ClientSession() as http:
            session = await AppSocket.connect(http, served)
            await session.wait_for("Today:")
            [app] = served.app_pids()
            os.kill(app, signal.SIGSTOP)
            started = time.monotonic()
            served.interrupt()
            assert await asyncio.to_thread(served.wait, 20) == 0, served.output()
            took = time.monotonic() - started
        assert served.app_pids() == []
        assert 4 < took < 15  # asked, waited 3 s, SIGTERM, waited 2 s, SIGKILL
    finally:
        served.kill()


def test_a_busy_port_is_a_one_line_error(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "quizapp", "serve", "--port", str(port), "--data-dir",
                               str(tmp_path)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [f"quizapp: cannot listen on 127.0.0.1:{port}: Address already in use"]
