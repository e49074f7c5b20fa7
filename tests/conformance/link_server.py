#!/usr/bin/env python3
"""A loopback HTTP server for `galley conformance check --online` (tests/conformance/conformance_blackbox.sh).

  /ok            200 to HEAD and GET
  /head-refused  405 to HEAD, 200 to GET (the check asks HEAD, then GET)
  /busy.svg      429 (rate limited counts as answering, as the CNCF validator has it)
  /landscape.yml 200 with the file LANDSCAPE (a landscape.yml for `--landscape URL`), when given
  anything else  404
  CONNECT        403: as an https proxy it refuses every tunnel, so https links "do not answer"
Usage: link_server.py PORT_FILE [LANDSCAPE]   (writes the port it listens on, then serves until killed)
"""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    def answer(self, head):
        path = self.path.split("?")[0]
        if path.startswith("http://"):  # a proxied request names the whole URL
            path = "/" + path.split("/", 3)[-1]
        code = {"/ok": 200, "/busy.svg": 429}.get(path, 404)
        if path == "/head-refused":
            code = 405 if head else 200
        body = b"" if head else b"answer\n"
        if path == "/landscape.yml" and len(sys.argv) > 2:
            code = 200
            with open(sys.argv[2], "rb") as f:
                body = b"" if head else f.read()
        self.send_response(code)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_HEAD(self):
        self.answer(True)

    def do_GET(self):
        self.answer(False)

    def do_CONNECT(self):
        self.send_response(403)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[1], "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
