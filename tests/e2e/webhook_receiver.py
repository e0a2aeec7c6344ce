"""A shop's webhook receiver for tests: an HTTP server on 127.0.0.1 in a thread of its own that
verifies each delivery's signature the way docs/webhooks.md tells receivers to, and answers with
the status codes it is given (200 once they run out)."""

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOLERANCE_SECONDS = 300


def signature_ok(secret: str, header: str, body: bytes, now: float) -> bool:
    """The check of docs/webhooks.md, written again here rather than imported from the shop."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    timestamp = parts.get("t", "")
    if not timestamp.isdigit() or abs(now - int(timestamp)) > TOLERANCE_SECONDS:
        return False
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts.get("v1", ""))


class Receiver:
    def __init__(self, answers: list[int]) -> None:
        self.answers = list(answers)
        self.secret = ""  # set once the webhook is created
        self.calls: list[dict[str, Any]] = []  # every request, answered or not
        self.lock = threading.Lock()
        self.url = ""

    def delivered(self) -> list[dict[str, Any]]:
        """The requests answered 2xx."""
        with self.lock:
            return [c for c in self.calls if 200 <= c["status"] < 300]

    def record(self, headers: dict[str, str], body: bytes) -> int:
        with self.lock:
            status = self.answers.pop(0) if self.answers else 200
            self.calls.append({
                "headers": headers, "body": json.loads(body), "status": status,
                "verified": signature_ok(self.secret, headers.get("X-Ecomsearch-Signature", ""), body, time.time()),
            })  # fmt: skip
        return status


@contextmanager
def receiving(answers: list[int] | None = None) -> Iterator[Receiver]:
    receiver = Receiver(answers or [])

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            status = receiver.record(dict(self.headers.items()), body)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return None

    class Server(ThreadingHTTPServer):
        request_queue_size = 64  # a batch of deliveries arrives at once (the default is 5)

    server = Server(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/ecomsearch"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
