#!/usr/bin/env python3
"""An authenticating front for a real registry, for tests: MODE basic answers 401 with a Basic
challenge unless the request carries USER:PASS; MODE bearer answers 401 with a Bearer challenge
whose realm is /token here, which hands out a token for USER:PASS (401 otherwise); requests with
the right credentials are forwarded to UPSTREAM unchanged (Host kept, so upload Locations point
back here).

usage: auth_proxy.py MODE UPSTREAM_HOST:PORT USER PASS PORTFILE
"""
import base64
import http.client
import http.server
import json
import socketserver
import sys

mode, upstream, user, password, portfile = sys.argv[1:6]
good_basic = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
TOKEN = "galley-test-token"


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, code, body=b"", headers=None):
        self.send_response(code)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def handle_any(self):
        data = self.body()
        host = self.headers.get("Host")
        auth = self.headers.get("Authorization", "")
        if self.path.startswith("/token"):
            if auth == good_basic:
                return self.reply(200, json.dumps({"token": TOKEN}).encode(), {"Content-Type": "application/json"})
            return self.reply(401, b'{"errors":[{"code":"UNAUTHORIZED"}]}')
        ok = auth == (good_basic if mode == "basic" else "Bearer " + TOKEN)
        if not ok:
            challenge = ('Basic realm="galley-test"' if mode == "basic" else
                         f'Bearer realm="http://{host}/token",service="galley-test",scope="repository:x:pull"')
            return self.reply(401, b'{"errors":[{"code":"UNAUTHORIZED"}]}', {"WWW-Authenticate": challenge})
        conn = http.client.HTTPConnection(upstream, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("authorization", "content-length")}
        headers["Content-Length"] = str(len(data))
        conn.request(self.command, self.path, body=data, headers=headers)
        r = conn.getresponse()
        payload = r.read()
        self.send_response(r.status)
        for k, v in r.getheaders():
            if k.lower() not in ("content-length", "transfer-encoding", "connection"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


srv = Server(("127.0.0.1", 0), Handler)
with open(portfile + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
import os
os.rename(portfile + ".tmp", portfile)
srv.serve_forever()
