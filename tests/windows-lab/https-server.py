#!/usr/bin/env python3
"""The Windows lab's download server: HTTPS on 127.0.0.1 only.

Serves the files in DIR with the lab's TLS certificate, on a port the OS
picks, and writes that port to PORTFILE once it listens. It logs each request
to stderr and stops by itself after LIFETIME seconds, or when killed.

Usage: https-server.py DIR CERT KEY PORTFILE [LIFETIME]
"""
import functools
import os
import http.server
import ssl
import sys
import threading


def main() -> None:
    root, cert, key, port_file = sys.argv[1:5]
    lifetime = float(sys.argv[5]) if len(sys.argv) > 5 else 1800.0
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=root)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    with open(port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    # Renamed into place, so a reader never sees half a number.
    os.replace(port_file + ".tmp", port_file)
    threading.Timer(lifetime, server.shutdown).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
