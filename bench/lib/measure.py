#!/usr/bin/env python3
"""Runs a command and prints what it cost: CPU seconds (user + sys), wall seconds, peak RSS and
the bytes it wrote (/proc/PID/io write_bytes, and cancelled_write_bytes: dirty pages a truncate
threw away before they reached the disk). On a shared machine CPU seconds and bytes written are
the figures to compare; wall time measures the neighbours too.

Usage: measure.py LABEL -- COMMAND [ARGS...]
Prints one line: LABEL cpu=… wall=… rss_mib=… write_bytes=… cancelled=… rc=…
"""
import os
import sys
import time


def main():
    if "--" not in sys.argv:
        sys.exit(__doc__)
    split = sys.argv.index("--")
    label = " ".join(sys.argv[1:split])
    command = sys.argv[split + 1:]
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        os.execvp(command[0], command)
    # Wait for the exit without reaping: a zombie's /proc/PID/io still holds its totals.
    os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
    wall = time.monotonic() - start
    io = {}
    with open(f"/proc/{pid}/io") as f:
        for line in f:
            key, value = line.split(":")
            io[key] = int(value)
    _, status, usage = os.wait4(pid, 0)
    cpu = usage.ru_utime + usage.ru_stime
    print(f"{label} cpu={cpu:.2f} user={usage.ru_utime:.2f} sys={usage.ru_stime:.2f} "
          f"wall={wall:.2f} rss_mib={usage.ru_maxrss // 1024} "
          f"write_bytes={io['write_bytes']} cancelled={io['cancelled_write_bytes']} "
          f"rc={os.waitstatus_to_exitcode(status)}", flush=True)


if __name__ == "__main__":
    main()
