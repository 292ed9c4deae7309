#!/usr/bin/env python3
"""A fast webhook receiver for the benchmarks: answers every POST with 204 at once and counts them.

    python3 bench/webhook-receiver.py 5099          # listens on 127.0.0.1:5099

GET /count answers {"count": N, "first": t, "last": t} (N POSTs received, the Unix times of the first and the last);
GET /reset sets it back to zero. The signature is not checked (tests/ do that); it only has to be quick.
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
state = {"count": 0, "first": None, "last": None}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: the dispatcher reuses its connections

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        now = time.time()
        with lock:
            state["count"] += 1
            state["first"] = state["first"] or now
            state["last"] = now
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        with lock:
            if self.path == "/reset":
                state.update(count=0, first=None, last=None)
            body = json.dumps(state).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A sender that stops (the app between runs) resets its kept-alive connections: not worth a traceback.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 5099
    Server(("127.0.0.1", port), Handler).serve_forever()
