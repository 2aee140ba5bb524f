"""A webhook receiver on 127.0.0.1 (threaded ``http.server``) for the tests: it records every
request it is sent and answers what the test scripted, in turn: a status (``500``), or
``Hang(seconds)`` (accept, read, say nothing for that long). Once the script is used up it
answers ``otherwise`` (200)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from config.webhooks.services.signing import signature_verify
from tests.security.network import QuietServer
from tests.serving import serving


@dataclass(frozen=True)
class Hang:
    seconds: float


Answer = int | Hang


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    answered: int | None  # None: it hung

    @property
    def key(self) -> str:
        return self.headers.get("X-Claimdesk-Delivery", "")

    def signed_with(self, secret: str) -> bool:
        header = self.headers.get("X-Claimdesk-Signature", "")
        return signature_verify(secret=secret, body=self.body, header=header)


@dataclass
class Receiver:
    port: int = 0
    script: list[Answer] = field(default_factory=list)
    otherwise: Answer = 200
    _received: list[Received] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str = "/hooks") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def answer(self, *answers: Answer, otherwise: Answer = 200) -> None:
        with self._lock:
            self.script, self.otherwise = list(answers), otherwise

    def next_answer(self) -> Answer:
        with self._lock:
            return self.script.pop(0) if self.script else self.otherwise

    def record(self, received: Received) -> None:
        with self._lock:
            self._received.append(received)

    @property
    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    @property
    def accepted(self) -> list[Received]:
        return [r for r in self.received if r.answered is not None and 200 <= r.answered < 300]


@contextmanager
def running_receiver() -> Iterator[Receiver]:
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            answer = receiver.next_answer()
            status = None if isinstance(answer, Hang) else answer
            headers = {name: value for name, value in self.headers.items()}
            receiver.record(Received("POST", self.path, headers, body, status))
            if isinstance(answer, Hang):
                time.sleep(answer.seconds)
                self.close_connection = True
                return
            self.send_response(answer)
            if 300 <= answer < 400:
                self.send_header("Location", "/elsewhere")
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: object) -> None:
            pass

    with serving(QuietServer(("127.0.0.1", 0), Handler)) as port:
        receiver.port = port
        yield receiver
