#!/usr/bin/python3
"""The C-library contender of bench/src/list-stats.ts: libvirt's own client library through python3-libvirt.

One timed run is conn.listAllDomains(0) + conn.getAllDomainStats(0, 0) on one open connection, timed in-process with
time.perf_counter(). The process opens its connection and does its own warm-up first.

Standalone:  /usr/bin/python3 list_stats.py [--uri URI] [--warmup N] --runs N
    prints one JSON object with every run and the median.
Lock-step (what the benchmark uses, so the contenders can be interleaved):
    /usr/bin/python3 list_stats.py [--uri URI] [--warmup N] --serve
    prints {"ready": ...} after the warm-up, then one JSON line per "run" line read from stdin, and a summary like the
    standalone one on "quit" or end of input.

Run it with /usr/bin/python3: Debian's python3-libvirt is installed for the system interpreter only.
"""
import argparse
import json
import statistics
import sys
import time

import libvirt


def one_run(conn):
    t0 = time.perf_counter()
    doms = conn.listAllDomains(0)
    stats = conn.getAllDomainStats(0, 0)
    ms = (time.perf_counter() - t0) * 1000.0
    # Counted after the clock stopped; the objects are freed outside the timed section as well.
    result = {
        "ms": ms,
        "domains": len(doms),
        "records": len(stats),
        "params": sum(len(params) for _dom, params in stats),
    }
    del doms, stats
    return result


def summary(runs):
    times = [r["ms"] for r in runs]
    return {
        "runs": runs,
        "median": statistics.median(times) if times else None,
        "min": min(times) if times else None,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--uri", default="qemu:///system")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--serve", action="store_true")
    args = parser.parse_args()

    # Errors are for the report, not for stderr of the benchmark's terminal.
    libvirt.registerErrorHandler(lambda _ctx, _err: None, None)
    conn = libvirt.open(args.uri)
    try:
        warmup = [one_run(conn)["ms"] for _ in range(args.warmup)]
        info = {
            "library": libvirt.getVersion(),
            "daemon": conn.getLibVersion(),
            "python": sys.version.split()[0],
            "warmup": warmup,
        }
        runs = []
        if not args.serve:
            runs = [one_run(conn) for _ in range(args.runs)]
            print(json.dumps({**info, **summary(runs)}), flush=True)
            return
        print(json.dumps({"ready": True, **info}), flush=True)
        for line in sys.stdin:
            command = line.strip()
            if command == "run":
                run = one_run(conn)
                runs.append(run)
                print(json.dumps(run), flush=True)
            elif command == "quit":
                break
        print(json.dumps({"done": True, **summary(runs)}), flush=True)
    finally:
        conn.close()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        # Ctrl-C reaches the whole process group; the benchmark cleans up, we just leave quietly.
        sys.exit(130)
