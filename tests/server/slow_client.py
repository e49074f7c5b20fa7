#!/usr/bin/env python3
"""Misbehaving HTTP clients for the server's black-box tests (loopback only, each stops by itself).

slow_client.py PORT stall-headers SECONDS   sends half a request line and waits; prints "closed after N s"
                                            when the server hangs up, "still open" after SECONDS
slow_client.py PORT dribble SECONDS         sends a request line and headers one byte every 0.2 s (each
                                            read is quick, the whole request is not); prints "closed after
                                            N s" when the server hangs up, "still open" after SECONDS
slow_client.py PORT stall-body SECONDS      sends a POST's headers and half its body, waits SECONDS,
                                            sends the rest; prints the status line it gets (or "closed")
slow_client.py PORT abort-body              sends a POST's headers and half its body, then resets the
                                            connection (a client killed mid-upload)
slow_client.py PORT garbage                 sends bytes that are not HTTP; prints the first line back
slow_client.py PORT hold N SECONDS          opens N connections and sends nothing; prints "open N", then
                                            "closed K of N after S s" once the server has closed them all
                                            or SECONDS have passed (K counts those it closed)
slow_client.py PORT tls-dribble SECONDS CA  over TLS (trusting CA): completes the handshake, checks one
                                            whole request is answered, then dribbles the next as dribble
                                            does (one TLS record per byte)
slow_client.py PORT tls-stall-hello SECONDS sends the first bytes of a TLS ClientHello and waits, as
                                            stall-headers
"""
import socket
import ssl
import struct
import sys
import time

port, mode = int(sys.argv[1]), sys.argv[2]
s = socket.create_connection(("127.0.0.1", port), timeout=30)
body = b"a: x\n" * 20
head = (b"POST /v1/diff HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/yaml\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n")


def dribble(sock, request, wait):
    """Sends `request` a byte at a time; how the server ended it (or "still open" after `wait` s)."""
    start = time.time()
    for byte in request:
        if time.time() - start > wait:
            return "still open"
        try:
            sock.sendall(bytes([byte]))
            sock.settimeout(0.2)
            if sock.recv(4096) == b"":
                return "closed after %d s" % round(time.time() - start)
        except socket.timeout:
            continue
        except (OSError, ssl.SSLError):
            return "closed after %d s" % round(time.time() - start)
    return "still open"


if mode == "tls-dribble":
    context = ssl.create_default_context(cafile=sys.argv[4])
    t = context.wrap_socket(s, server_hostname="127.0.0.1")
    t.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    first = t.recv(4096).split(b"\r\n")[0].decode()
    if first != "HTTP/1.1 200 OK":
        print("first request not answered: " + first)
    else:
        slow = b"GET /v1/catalog HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"X-Slow: " + b"a" * 200 + b"\r\n\r\n"
        print(dribble(t, slow, float(sys.argv[3])))
elif mode == "tls-stall-hello":
    wait = float(sys.argv[3])
    s.sendall(b"\x16\x03\x01\x02\x00\x01")  # a handshake record header and the first byte of a hello
    start = time.time()
    s.settimeout(wait)
    try:
        s.recv(4096)
        print("closed after %d s" % round(time.time() - start))
    except socket.timeout:
        print("still open")
    except ConnectionResetError:
        print("closed after %d s" % round(time.time() - start))
elif mode == "stall-headers":
    wait = float(sys.argv[3])
    s.sendall(b"GET /v1/catalog HT")
    start = time.time()
    s.settimeout(wait)
    try:
        data = s.recv(4096)
        print("closed after %d s" % round(time.time() - start) if not data or data else "")
    except socket.timeout:
        print("still open")
    except ConnectionResetError:
        print("closed after %d s" % round(time.time() - start))
elif mode == "dribble":
    request = b"GET /v1/catalog HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"X-Slow: " + b"a" * 200 + b"\r\n\r\n"
    print(dribble(s, request, float(sys.argv[3])))
elif mode == "stall-body":
    s.sendall(head + body[: len(body) // 2])
    time.sleep(float(sys.argv[3]))
    try:
        s.sendall(body[len(body) // 2:])
        line = s.makefile("rb").readline().decode().strip()
        print(line or "closed")
    except OSError:
        print("closed")
elif mode == "abort-body":
    s.sendall(head + body[: len(body) // 2])
    time.sleep(0.2)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # RST on close
    s.close()
    print("aborted")
elif mode == "garbage":
    s.sendall(b"\x16\x03\x01\x00\xff not http at all\r\n\r\n")
    try:
        print(s.makefile("rb").readline().decode(errors="replace").strip() or "closed")
    except OSError:
        print("closed")
elif mode == "hold":
    n, wait = int(sys.argv[3]), float(sys.argv[4])
    held = [s] + [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(n - 1)]
    print("open %d" % n, flush=True)
    start = time.time()
    closed = set()
    while len(closed) < n and time.time() - start < wait:
        for i, c in enumerate(held):
            if i in closed:
                continue
            c.settimeout(0.01)
            try:
                if c.recv(1) == b"":
                    closed.add(i)
            except socket.timeout:
                pass
            except OSError:
                closed.add(i)
    print("closed %d of %d after %d s" % (len(closed), n, round(time.time() - start)), flush=True)
