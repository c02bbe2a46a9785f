"""A tiny fake server for the oros bats tests (python3 runs on the test machine only).

HTTP mode serves files from --root (GET /summary → ROOT/summary, GET / → ROOT/index,
GET /dir → ROOT/dir/index when ROOT/dir is a directory)
and records every request (method, path, headers, body) as a JSON line in --log.
A file ROOT/<path>.status holding a number sets the answer's status.
TCP mode answers every connection with the bytes of --tcp-reply followed by a NUL,
like the sgminer API, after reading the request; requests are logged too.
With --cert/--key the HTTP server speaks TLS.
The chosen port is written to --port-file once the server listens.
"""

from __future__ import annotations

import argparse
import json
import socketserver
import ssl
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", type=Path, default=Path("."))
    parser.add_argument("--log", type=Path, required=True)
    parser.add_argument("--port-file", type=Path, required=True)
    parser.add_argument("--tcp-reply", type=Path)
    parser.add_argument("--cert", type=Path, help="serve HTTPS with this certificate")
    parser.add_argument("--key", type=Path)
    args = parser.parse_args()

    def record(entry: dict[str, object]) -> None:
        with args.log.open("a", encoding="utf-8") as log:
            log.write(json.dumps(entry) + "\n")

    class Http(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
            record(
                {
                    "method": self.command,
                    "path": self.path,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "body": body,
                }
            )
            name = self.path.split("?")[0].strip("/") or "index"
            file = args.root / name
            if file.is_dir():  # /x and /x/y can both exist: /x is served from x/index
                file = file / "index"
            status_file = args.root / (name + ".status")
            status = int(status_file.read_text()) if status_file.exists() else 200
            if not file.is_file():
                status, data = 404, b'{"error": "not found"}'
            else:
                data = file.read_bytes()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

        def log_message(self, format: str, *a: object) -> None:
            pass

    class Tcp(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            request = self.request.recv(4096).decode("utf-8", "replace")
            record({"tcp": request})
            assert args.tcp_reply is not None
            self.request.sendall(args.tcp_reply.read_bytes().rstrip(b"\n") + b"\x00")

    server: socketserver.TCPServer
    if args.tcp_reply:
        server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Tcp)
    else:
        server = ThreadingHTTPServer(("127.0.0.1", 0), Http)
    server.daemon_threads = True
    if args.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    tmp = args.port_file.with_suffix(".tmp")
    tmp.write_text(str(server.server_address[1]))
    tmp.rename(args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
