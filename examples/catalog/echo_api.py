#!/usr/bin/env python3
"""A stand-in for your catalog API: prints every request Ferry sends and answers 200.

    python3 examples/catalog/echo_api.py [port]      # default port 9000, the examples' http.url

Gzipped bodies (http.compression=gzip) are unpacked before printing. Python 3 standard library only.
"""
import gzip
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class EchoHandler(BaseHTTPRequestHandler):
    def _echo(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        try:
            text = json.dumps(json.loads(body), indent=2, ensure_ascii=False)
        except ValueError:
            text = body.decode("utf-8", "replace")
        print(f"--- {self.command} {self.path} ({len(body)} bytes)\n{text}", flush=True)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    do_POST = do_PUT = do_PATCH = do_DELETE = _echo

    def log_message(self, format, *args):  # the request line is printed above already
        pass


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 9000
    print(f"echo API listening on http://localhost:{port}", flush=True)
    ThreadingHTTPServer(("", port), EchoHandler).serve_forever()
