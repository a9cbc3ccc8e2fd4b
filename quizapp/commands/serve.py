"""`quizapp serve`: the app in a web browser (each browser tab gets its own app process, all on the
same collection), through textual-serve. Loopback only unless --host; any other address needs the
token printed at start. See docs/serve.md (and for a reverse proxy with TLS)."""

from __future__ import annotations

import argparse
import ipaddress
import sys


def port_number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a port number 0–65535, got {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be a port number 0–65535, got {value}")
    return value


def register(subparsers, common) -> None:
    p = subparsers.add_parser(
        "serve", help="study in a web browser or on a phone (loopback unless --host)",
        description="Serve the app to web browsers: each tab runs its own app on the same collection "
        "(grades from several tabs are all kept). It listens on 127.0.0.1 unless --host says otherwise; "
        "any other address needs a token, printed once with the URL to open. Ctrl-C stops the server "
        "and every app it started. Behind a reverse proxy with TLS: docs/serve.md.")
    p.add_argument("--host", default="127.0.0.1", metavar="ADDRESS",
                   help="address to listen on (default 127.0.0.1; 0.0.0.0: every address, token required)")
    p.add_argument("--port", type=port_number, default=8000, help="port (default 8000; 0: any free port)")
    p.add_argument("--require-token", action="store_true",
                   help="ask for the token on loopback too (other users of this machine; a reverse proxy)")
    common(p)


def run(args: argparse.Namespace) -> int:
    import secrets

    from quizapp.commands import content_paths
    from quizapp.commands.collection import open_collection_for

    missing = [p for p in content_paths(args) if not p.exists()]
    if missing:
        print(f"quizapp: no such content folder: {missing[0]}", file=sys.stderr)
        return 2
    _paths, _config, _notices, collection = open_collection_for(args)  # broken: its message, exit 1
    collection.close()  # each browser tab's app opens it; this only checked (and created) it

    from quizapp.web.gate import is_loopback
    from quizapp.web.server import QuizServer

    token = secrets.token_urlsafe(32) if args.require_token or not is_loopback(args.host) else None
    server = QuizServer(app_argv(args), host=args.host, port=args.port, token=token)

    def announce(port: int) -> None:
        url = f"http://{url_host(args.host)}:{port}/"
        if token is None:
            print(f"quizapp serve: open {url} in a browser on this machine. Ctrl-C stops.", flush=True)
            return
        print(f"quizapp serve: open {url}?token={token}", flush=True)  # the one place the token appears
        if _unspecified(args.host):
            print(f"  ({args.host} listens on every address: use this machine's address from the phone)")
        print("  Anyone with this link can study as you and see your cards. Ctrl-C stops.", flush=True)

    import asyncio

    try:
        asyncio.run(server.run(announce))
    except OSError as error:  # the port is taken, the address is not this machine's, the name is unknown
        import os

        why = os.strerror(error.errno) if (error.errno or 0) > 0 else (error.strerror or str(error))
        print(f"quizapp: cannot listen on {args.host}:{args.port}: {why}", file=sys.stderr)
        return 1
    print("quizapp serve: stopped; every app it started has quit.", flush=True)
    return 0


def app_argv(args: argparse.Namespace) -> list[str]:
    """The command each browser tab runs: this Python, the same --data-dir and --content (absolute)."""
    from pathlib import Path

    argv = [sys.executable, "-m", "quizapp"]
    if args.data_dir:
        argv += ["--data-dir", str(Path(args.data_dir).expanduser().absolute())]
    for path in args.content or []:
        argv += ["--content", str(Path(path).expanduser().absolute())]
    return argv


def url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def _unspecified(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return host == ""
