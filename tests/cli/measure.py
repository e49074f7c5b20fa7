#!/usr/bin/env python3
"""Runs a command; prints 'rc seconds peak_rss_mb' on stderr's last line. Used by blackbox.sh."""
import resource
import subprocess
import sys
import time

start = time.monotonic()
with open(sys.argv[1], "wb") as out, open(sys.argv[2], "wb") as err:
    rc = subprocess.call(sys.argv[3:], stdout=out, stderr=err, stdin=subprocess.DEVNULL)
elapsed = time.monotonic() - start
rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
print(f"{rc} {elapsed:.3f} {rss_mb:.1f}")
