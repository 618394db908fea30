"""Real receivers on loopback: an SMTP server (aiosmtpd) and an HTTP webhook receiver that can be 'down'."""
from __future__ import annotations

import email
import email.policy
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller

from tests.net import free_port
from catalog.notify.webhook_targets import parse_networks


LOOPBACK = parse_networks("127.0.0.1/32")  # the receivers below listen there: the tests allow it (MULU_NOTIFY_WEBHOOK_ALLOW)

class _Collect:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd API)
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(msg)  # type: ignore[arg-type]
        return "250 OK"


class SmtpServer:
    """A real SMTP server collecting every message it accepts."""

    def __init__(self) -> None:
        self.port = free_port()
        self.handler = _Collect()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self) -> list[EmailMessage]:
        return list(self.handler.messages)

    def start(self) -> "SmtpServer":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class HttpReceiver:
    """An HTTP server on loopback recording POSTs (and GETs); `up = False` answers 503 (a receiver that is down);
    `redirect_to` answers 302 to that address instead."""

    port: int = field(default_factory=free_port)
    up: bool = True
    received: list[Received] = field(default_factory=list)
    redirect_to: str | None = None

    def __post_init__(self) -> None:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if not outer.up:
                    self.send_response(503)
                    self.end_headers()
                    return
                if outer.redirect_to:
                    self.send_response(302)
                    self.send_header("Location", outer.redirect_to)
                    self.end_headers()
                    return
                outer.received.append(Received({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(204)
                self.end_headers()

            def do_GET(self) -> None:  # noqa: N802  (a followed redirect arrives as a GET)
                outer.received.append(Received({k.lower(): v for k, v in self.headers.items()}, b""))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> "HttpReceiver":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
