"""The gate in front of textual-serve's routes, request by request (no server, no network), and what
`quizapp serve` prints for each bind address."""

from __future__ import annotations

import re

import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request

from quizapp.cli import main
from quizapp.web.gate import COOKIE, is_loopback, make_gate

TOKEN = "s3cret-token_value"


async def through(gate, path: str = "/", **headers: str) -> web.StreamResponse:
    async def handler(request: web.Request) -> web.StreamResponse:
        return web.Response(text="the app")

    request = make_mocked_request("GET", path, headers={"Host": "127.0.0.1:8000", **headers})
    return await gate(request, handler)


@pytest.mark.parametrize("path, headers", [
    ("/", {}),
    ("/?token=", {}),
    ("/?token=s3cret-token_valuE", {}),
    ("/?token=s3cret-token_value-and-more", {}),
    ("/?token=é", {}),  # not ASCII: simply wrong, no TypeError from compare_digest
    ("/", {"Cookie": f"{COOKIE}=wrong"}),
    ("/ws", {"Upgrade": "websocket", "Connection": "Upgrade"}),
])
async def test_with_a_token_anything_without_it_is_403(path, headers):
    response = await through(make_gate(TOKEN), path, **headers)
    assert response.status == 403
    assert TOKEN not in response.text


async def test_the_token_in_the_link_opens_the_page_and_sets_a_strict_cookie():
    response = await through(make_gate(TOKEN), f"/?token={TOKEN}")
    assert response.status == 200 and response.text == "the app"
    cookie = response.cookies[COOKIE]
    assert cookie.value == TOKEN and cookie["httponly"] and cookie["samesite"] == "Strict"
    assert not cookie["secure"]
    assert response.headers["Referrer-Policy"] == "no-referrer"
    behind_tls = await through(make_gate(TOKEN), f"/?token={TOKEN}", **{"X-Forwarded-Proto": "https"})
    assert behind_tls.cookies[COOKIE]["secure"]


async def test_the_cookie_alone_lets_the_static_files_and_websocket_through():
    assert (await through(make_gate(TOKEN), "/static/js/textual.js", Cookie=f"{COOKIE}={TOKEN}")).status == 200
    response = await through(make_gate(TOKEN), "/ws", Cookie=f"{COOKIE}={TOKEN}", Upgrade="websocket",
                             Origin="http://127.0.0.1:8000")
    assert response.status == 200


@pytest.mark.parametrize("origin", ["http://evil.example", "http://127.0.0.1:9999", "https://127.0.0.1:8000",
                                    "null", "file://"])
async def test_a_websocket_from_another_origin_is_403_even_with_the_token(origin):
    response = await through(make_gate(TOKEN), "/ws", Cookie=f"{COOKIE}={TOKEN}", Upgrade="websocket",
                             Origin=origin)
    assert response.status == 403


async def test_behind_a_tls_proxy_the_https_origin_is_the_same_origin():
    response = await through(make_gate(TOKEN), "/ws", Cookie=f"{COOKIE}={TOKEN}", Upgrade="websocket",
                             Host="quiz.example.org", Origin="https://quiz.example.org",
                             **{"X-Forwarded-Proto": "https"})
    assert response.status == 200


@pytest.mark.parametrize("host, status", [
    ("127.0.0.1:8000", 200), ("localhost:8000", 200), ("[::1]:8000", 200), ("127.0.0.2", 200),
    ("evil.example:8000", 403), ("192.168.1.5:8000", 403), ("", 403), ("[not an address", 403),
])
async def test_without_a_token_only_loopback_hosts_are_served(host, status):
    assert (await through(make_gate(None), Host=host)).status == status


@pytest.mark.parametrize("header", ["X-Forwarded-For", "Forwarded", "X-Real-IP"])
async def test_without_a_token_a_proxied_request_is_403(header):
    response = await through(make_gate(None), **{header: "203.0.113.7"})
    assert response.status == 403 and "--require-token" in response.text


@pytest.mark.parametrize("host, loopback", [
    ("127.0.0.1", True), ("localhost", True), ("::1", True), ("[::1]", True), ("127.1.2.3", True),
    ("0.0.0.0", False), ("::", False), ("192.168.1.5", False), ("example.org", False), ("", False),
])
def test_which_bind_addresses_need_the_token(host, loopback):
    assert is_loopback(host) is loopback


@pytest.mark.parametrize("host, needs_token", [("127.0.0.1", False), ("0.0.0.0", True), ("192.168.1.5", True)])
def test_serve_prints_the_link_once_with_a_token_unless_loopback(tmp_path, monkeypatch, capsys, host, needs_token):
    """The announcement, without binding anything: the server's run is replaced by its announce."""
    from quizapp.web import server

    async def announce_only(self, announce) -> None:
        announce(8000)

    monkeypatch.setattr(server.QuizServer, "run", announce_only)
    assert main(["serve", "--host", host, "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    tokens = re.findall(r"\?token=([A-Za-z0-9_\-]+)", out)
    if needs_token:
        assert f"http://{host}:8000/?token=" in out
        assert len(tokens) == 1 and len(tokens[0]) >= 40 and out.count(tokens[0]) == 1
    else:
        assert tokens == [] and f"http://{host}:8000/" in out


def test_serve_refuses_a_broken_collection_with_its_message(tmp_path, capsys):
    (tmp_path / "collection.sqlite3").write_bytes(b"this is not SQLite" * 100)
    assert main(["serve", "--data-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "cannot open the collection" in err and "Traceback" not in err


@pytest.mark.parametrize("value, expected", [
    ("40", 40), (40, 40), ("0", 10), ("-5", 10), ("100000", 1000), (10**9, 1000), ("wide", 80), (None, 80),
    ([], 80), (float("inf"), 80), ("9" * 5000, 80),
])
def test_a_browser_asks_for_a_terminal_size_within_reason(value, expected):
    from quizapp.web.server import cells

    assert cells(value, 80, 10, 1000) == expected
