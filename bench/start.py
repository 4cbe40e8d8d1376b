#!/usr/bin/env python3
# start.py - how long `erms serve` takes from its start to the first
# answer of GET /healthz: `bench/start.py ERMS DB COUNT`.
#
# Starts the server COUNT times on DB (each on a free loopback port),
# polls /healthz every 0.2 ms from the moment the process is spawned, and
# stops it once it has answered 200. Prints the median and the worst, in
# milliseconds: "median M worst W". The time is the server's own (Python's
# start is not in it); the database must already be migrated, as a
# server restarted in production is.
import socket
import subprocess
import sys
import time


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def healthz(port):
    try:
        with socket.create_connection(('127.0.0.1', port), timeout=1) as s:
            s.sendall(b'GET /healthz HTTP/1.1\r\nHost: b\r\n'
                      b'Connection: close\r\n\r\n')
            return s.recv(64).startswith(b'HTTP/1.1 200')
    except OSError:
        return False


def once(erms, db):
    port = free_port()
    t0 = time.monotonic()
    p = subprocess.Popen([erms, 'serve', '--db', db, '--listen',
                          f'127.0.0.1:{port}', '--log-level', 'warn'],
                         stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    try:
        while not healthz(port):
            if p.poll() is not None or time.monotonic() - t0 > 30:
                sys.exit(f'start.py: {erms} did not answer /healthz')
            time.sleep(0.0002)
        return (time.monotonic() - t0) * 1000
    finally:
        p.terminate()
        p.wait()


def main():
    if len(sys.argv) != 4:
        sys.exit('usage: bench/start.py ERMS DB COUNT')
    erms, db, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    times = sorted(once(erms, db) for _ in range(count))
    print(f'median {times[len(times) // 2]:.1f} worst {times[-1]:.1f}')


main()
