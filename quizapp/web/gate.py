"""Who may use a served quizapp: an aiohttp middleware in front of every textual-serve route.

- With a token (any bind address other than loopback, or ``--require-token``), every request — the
  page, its static files, downloads and the websocket that drives the app — must carry it, as
  ``?token=…`` or in the cookie the page's response sets; anything else gets 403. The comparison is
  constant-time (:func:`hmac.compare_digest`); the token is never logged or echoed.
- On loopback without a token the ``Host`` must be a loopback name (a web page that rebinds its own
  domain to 127.0.0.1 cannot reach the app), and a request a proxy forwarded (``Forwarded``,
  ``X-Forwarded-For``, ``X-Real-IP``) is refused: behind a proxy the token is needed.
- A websocket whose ``Origin`` is another site is refused, token or not (another page open in the
  same browser must not drive the app).
"""

from __future__ import annotations

import hmac
import ipaddress
from typing import Awaitable, Callable

from aiohttp import web
from yarl import URL

COOKIE = "quizapp_token"
PROXY_HEADERS = ("Forwarded", "X-Forwarded-For", "X-Real-IP")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def is_loopback(host: str) -> bool:
    """``localhost`` or a loopback address (127.0.0.0/8, ::1); a bracketed IPv6 literal is accepted."""
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def token_matches(candidate: str | None, token: str) -> bool:
    """Constant-time comparison; bytes, so a non-ASCII candidate is simply wrong (not a TypeError)."""
    if not candidate:
        return False
    return hmac.compare_digest(candidate.encode("utf-8", "replace"), token.encode("utf-8"))


def page_scheme(request: web.Request) -> str:
    """``https`` when the browser reached us over TLS: directly, or through a proxy that says so."""
    forwarded = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
    if forwarded in ("http", "https"):
        return forwarded
    return "https" if request.secure else "http"


def _host_and_port(netloc: str, scheme: str) -> tuple[str, int] | None:
    try:
        url = URL(f"{scheme}://{netloc}")
        host, port = url.host, url.port
    except ValueError:
        return None
    if not host or port is None:
        return None
    return host.strip("[]").lower(), port


def same_origin(request: web.Request) -> bool:
    """No ``Origin`` (not a browser), or the origin the page itself was served from."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    try:
        parsed = URL(origin)
    except ValueError:
        return False
    scheme = page_scheme(request)
    if parsed.scheme != scheme or not parsed.host:
        return False
    ours = _host_and_port(request.host, scheme)
    return ours is not None and ours == (parsed.host.strip("[]").lower(), parsed.port)


def _refuse(reason: str) -> web.Response:
    return web.Response(status=403, text=f"403 Forbidden: {reason}\n",
                        headers={"Cache-Control": "no-store"})


def make_gate(token: str | None) -> Callable[[web.Request, Handler], Awaitable[web.StreamResponse]]:
    """The middleware: ``token`` None serves loopback only (see the module docstring)."""

    @web.middleware
    async def gate(request: web.Request, handler: Handler) -> web.StreamResponse:
        from_query = False
        if token is not None:
            from_query = token_matches(request.query.get("token"), token)
            if not (from_query or token_matches(request.cookies.get(COOKIE), token)):
                return _refuse("this server needs the link with ?token=… that `quizapp serve` printed")
        else:
            if any(name in request.headers for name in PROXY_HEADERS):
                return _refuse("forwarded by a proxy: start `quizapp serve --require-token` behind a proxy")
            host = _host_and_port(request.host, "http")
            if host is None or not is_loopback(host[0]):
                return _refuse("this server answers on loopback only (start it with --host to share it)")
        if request.headers.get("Upgrade", "").lower() == "websocket" and not same_origin(request):
            return _refuse("a websocket from another site")
        response = await handler(request)
        if response.prepared:  # the websocket, after its session ended
            return response
        response.headers.setdefault("Referrer-Policy", "no-referrer")  # the page's URL holds the token
        if from_query:  # the websocket and the static files then carry the cookie
            response.set_cookie(COOKIE, token, httponly=True, samesite="Strict", path="/",
                                secure=page_scheme(request) == "https")
            response.headers["Cache-Control"] = "no-store"
        return response

    return gate
