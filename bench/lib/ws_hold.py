#!/usr/bin/env python3
"""Holds N WebSockets open through the gateway and pings each once a second (stdlib only).

Usage: ws_hold.py HOST PORT HOSTHEADER PATH COUNT SECONDS
Prints one line: "opened=N dropped=N echo_failures=N" (dropped: a connection that closed or failed
after its handshake; echo_failures: a ping whose echo did not come back within 2 s).
"""
import base64
import os
import socket
import struct
import sys
import threading
import time

host, port, vhost, path, count, seconds = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5]), float(sys.argv[6])
lock = threading.Lock()
stats = {"opened": 0, "dropped": 0, "echo_failures": 0, "handshake_failures": 0}
deadline = time.time() + seconds


def bump(key):
    with lock:
        stats[key] += 1


def recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("closed")
        buf += chunk
    return buf


def frame(payload):
    mask = os.urandom(4)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return bytes([0x81, 0x80 | len(payload)]) + mask + masked


def read_frame(s):
    b0, b1 = recv_exact(s, 2)
    n = b1 & 0x7F
    if n == 126:
        n = struct.unpack(">H", recv_exact(s, 2))[0]
    elif n == 127:
        n = struct.unpack(">Q", recv_exact(s, 8))[0]
    return b0 & 0x0F, recv_exact(s, n)


def hold(i):
    try:
        s = socket.create_connection((host, port), timeout=5)
        key = base64.b64encode(os.urandom(16)).decode()
        s.sendall((f"GET {path} HTTP/1.1\r\nHost: {vhost}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = s.recv(1024)
            if not chunk:
                raise ConnectionError("closed during handshake")
            head += chunk
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise ConnectionError(head.split(b"\r\n", 1)[0].decode(errors="replace"))
    except Exception as e:  # noqa: BLE001 - counted, the run goes on
        bump("handshake_failures")
        print(f"ws {i}: handshake failed: {e}", file=sys.stderr)
        return
    bump("opened")
    s.settimeout(2)
    n = 0
    try:
        while time.time() < deadline:
            n += 1
            msg = f"{i}:{n}".encode()
            s.sendall(frame(msg))
            try:
                while True:
                    op, data = read_frame(s)
                    if op == 8:
                        raise ConnectionError("close frame")
                    if data == msg or data.endswith(b":" + msg):  # the echo backend prefixes its name
                        break
            except socket.timeout:
                bump("echo_failures")
            time.sleep(1)
    except Exception as e:  # noqa: BLE001
        bump("dropped")
        print(f"ws {i}: dropped: {e}", file=sys.stderr)
    finally:
        s.close()


threads = [threading.Thread(target=hold, args=(i,), daemon=True) for i in range(count)]
for t in threads:
    t.start()
    time.sleep(0.005)
for t in threads:
    t.join(seconds + 10)
print(" ".join(f"{k}={v}" for k, v in stats.items()))
