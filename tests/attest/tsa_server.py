#!/usr/bin/env python3
"""A local RFC 3161 time-stamping authority over HTTP, for the attest tests only.

Usage: tsa_server.py TSA_DIR PORT_FILE [CERT_PEM KEY_PEM]
With CERT_PEM and KEY_PEM it answers over HTTPS (TLS with that certificate), for the TLS tests.
TSA_DIR is a TSA made by tests/interop/tsa.sh init. Listens on 127.0.0.1 (a free port,
written to PORT_FILE once listening) and answers POST (Content-Type application/timestamp-query)
with `openssl ts -reply` run in TSA_DIR. Other paths misbehave on purpose, for the error tests:
  /status500   an HTTP 500
  /garbage     a 200 whose body is not a TimeStampResp
  /chunked     a correct reply sent HTTP/1.1 with chunked transfer encoding
  /other       a correct reply, but over another query (its imprint does not match)
  /truncated   a correct reply cut short: fewer bytes than its Content-Length
"""
import http.server
import os
import subprocess
import sys
import tempfile

TSA_DIR = os.path.abspath(sys.argv[1])
PORT_FILE = sys.argv[2]


def reply_for(query: bytes) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        q, r = os.path.join(tmp, "q.tsq"), os.path.join(tmp, "r.tsr")
        with open(q, "wb") as f:
            f.write(query)
        subprocess.run(["openssl", "ts", "-reply", "-config", "tsa.cnf", "-section", "tsa_config",
                        "-queryfile", q, "-out", r], cwd=TSA_DIR, check=True, capture_output=True)
        with open(r, "rb") as f:
            return f.read()


def other_query() -> bytes:
    return subprocess.run(["openssl", "ts", "-query", "-digest", "00" * 32, "-sha256", "-cert"],
                          check=True, capture_output=True).stdout


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):  # quiet
        pass

    def send(self, code, body, ctype="application/timestamp-reply"):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        query = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.headers.get("Content-Type") != "application/timestamp-query":
            return self.send(415, b"wrong content type\n", "text/plain")
        if self.path == "/status500":
            return self.send(500, b"broken\n", "text/plain")
        if self.path == "/garbage":
            return self.send(200, b"this is not DER\n")
        if self.path == "/other":
            return self.send(200, reply_for(other_query()))
        body = reply_for(query)
        if self.path == "/truncated":
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[:-10])
            return None
        if self.path == "/chunked":
            self.protocol_version = "HTTP/1.1"
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Connection", "close")
            self.end_headers()
            half = len(body) // 2
            for part in (body[:half], body[half:]):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
            self.close_connection = True
            return None
        return self.send(200, body)


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
if len(sys.argv) > 4:
    import ssl
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(sys.argv[3], sys.argv[4])
    server.socket = context.wrap_socket(server.socket, server_side=True)
with open(PORT_FILE + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(PORT_FILE + ".tmp", PORT_FILE)
server.serve_forever()
