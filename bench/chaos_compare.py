#!/usr/bin/env python3
"""The chaos soak's verdict (bench/chaos_soak.sh): the dashboard's tables (its state dump) and
`watch --json`'s last view of each key against a fresh `locks --json` / `counters --json`, with the
faults by kind, the failovers and how long the window and watch took to follow each, and RSS over
time.

Compared: the set of lock keys with their holders and formats, and the counters with their values.
Prints the report; exits 1 on a crash, a failover not followed, or a difference."""
import argparse
import json
import statistics
import sys
from collections import Counter


def load_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        return {"error": str(e)}


def read_tsv(path):
    try:
        with open(path) as f:
            return [line.rstrip("\n").split("\t") for line in f if line.strip()]
    except OSError:
        return []


def mb(kb):
    return "%.0f MB" % (int(kb) / 1024.0)


def compare_dashboard(dump_path, t_locks, t_counters, sent):
    dump = load_json(dump_path)
    if "error" in dump:
        print("no dashboard state dump:", dump["error"])
        return False
    d_locks = {l["key"]: (l["holder"] or None, l["format"])
               for l in dump["locks"] if l["state"] != "free"}
    d_counters = {c["key"]: c["value"] for c in dump["counters"]}
    lock_diff = set(d_locks.items()) ^ set(t_locks.items())
    counter_diff = set(d_counters.items()) ^ set(t_counters.items())
    print("dashboard: %d locks, %d counters; fresh locks --json: %d locks, counters --json: %d"
          % (len(d_locks), len(d_counters), len(t_locks), len(t_counters)))
    print("dashboard tables equal the fresh read: %s"
          % ("yes" if not lock_diff and not counter_diff else "NO"))
    for d in sorted(lock_diff, key=str)[:10]:
        print("  lock differs:", d)
    for d in sorted(counter_diff, key=str)[:10]:
        print("  counter differs:", d)
    print("dashboard: GUI loop stalls over 50 ms: %d (worst %.0f ms); reconnects: %d; "
          "events received: %d (write commands sent: %s)"
          % (dump.get("stalls_over_50ms", -1), dump.get("worst_stall_ms", -1),
             dump.get("reconnects", -1), dump.get("events_received", -1), sent))
    return not lock_diff and not counter_diff


def compare_watch(watch_path, t_locks):
    # The last line about each key wins; "removed" drops it.
    w_locks = {}
    statuses = 0
    reconnect_lines = 0
    switches = 0
    events = 0
    with open(watch_path, errors="replace") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            if line.startswith("#"):
                statuses += 1
                if "reconnect" in line:
                    reconnect_lines += 1
                if " moved from " in line:
                    switches += 1
                continue
            try:
                o = json.loads(line)
            except ValueError:
                continue
            events += 1
            if o.get("removed"):
                w_locks.pop(o["key"], None)
            elif "holder" in o:
                if o.get("state") == "free":
                    w_locks.pop(o["key"], None)
                else:
                    w_locks[o["key"]] = (o.get("holder"), o["format"])
    w_diff = set(w_locks.items()) ^ set(t_locks.items())
    print("watch --json: %d locks at the end; equal to the fresh read: %s; %d lines about keys, "
          "%d status lines (%d about reconnecting, %d about the master moving)"
          % (len(w_locks), "yes" if not w_diff else "NO", events, statuses, reconnect_lines,
             switches))
    for d in sorted(w_diff, key=str)[:10]:
        print("  watch differs:", d)
    return not w_diff


def report_failovers(path, timeout_ms, switch_timeout_ms, tilts):
    rows = read_tsv(path)
    if not rows:
        return True
    ok = True
    print("failovers: %d (kind, old -> new master port, ms from the fault to: the Sentinels' "
          "switch, the window following, watch following; connections the window/watch had to "
          "the new master before the fault)" % len(rows))
    follow = {"window": [], "watch": []}
    after_switch = {"window": [], "watch": []}
    switches = []
    for kind, old, new, t_switch, t_dash, t_watch, pre in rows:
        t_switch, t_dash, t_watch = int(t_switch), int(t_dash), int(t_watch)
        if t_switch < 0:
            # The Sentinels' doing (TILT on a loaded machine), not the programs'.
            print("  %-10s %s: the Sentinels named no new master within %d ms (not timed)"
                  % (kind, old, switch_timeout_ms))
            continue
        switches.append(t_switch)
        missed = [who for who, t in (("window", t_dash), ("watch", t_watch)) if t < 0]
        print("  %-10s %s -> %s: switch %s, window %s, watch %s (before: %s)%s"
              % (kind, old, new, t_switch, t_dash, t_watch, pre,
                 "  NOT FOLLOWED within %d ms of the switch: %s" % (timeout_ms, ", ".join(missed))
                 if missed else ""))
        ok = ok and not missed
        for who, t in (("window", t_dash), ("watch", t_watch)):
            if t >= 0:
                follow[who].append(t)
                after_switch[who].append(t - t_switch)
    if switches:
        print("  the Sentinels switched %d of %d: median %d ms, worst %d ms after the fault"
              % (len(switches), len(rows), statistics.median(switches), max(switches)))
    for who, ts in follow.items():
        if ts:
            print("  %s followed %d of %d: median %d ms, worst %d ms after the fault; "
                  "median %d ms, worst %d ms after the switch"
                  % (who, len(ts), len(switches), statistics.median(ts), max(ts),
                     statistics.median(after_switch[who]), max(after_switch[who])))
    print("  Sentinel TILT episodes (timer more than 2 s late: the machine's load): %s" % tilts)
    return ok


def main():
    a = argparse.ArgumentParser()
    for name in ("dump", "watch", "locks", "counters", "sent", "rss", "rss-series", "crashes",
                 "duration", "faults", "failovers", "topology", "masters", "follow-timeout-ms", "switch-timeout-ms",
                 "tilts"):
        a.add_argument("--" + name, default="")
    args = a.parse_args()

    truth_locks = load_json(args.locks)
    truth_counters = load_json(args.counters)
    if isinstance(truth_locks, dict) or isinstance(truth_counters, dict):
        print("no fresh locks/counters --json:", truth_locks, truth_counters)
        return 1
    t_locks = {l["key"]: (l.get("holder"), l["format"]) for l in truth_locks}
    t_counters = {c["key"]: c["value"] for c in truth_counters}

    print("topology: %s; master port at start, at the end: %s"
          % (args.topology, args.masters.replace(",", " -> ")))
    faults = read_tsv(args.faults)
    by_kind = Counter(f[1] for f in faults)
    print("faults injected: %d in %s s; by kind: %s"
          % (len(faults), args.duration,
             ", ".join("%s %d" % kv for kv in sorted(by_kind.items()))))
    for f in faults:
        if f[1] in ("unplanned-failover", "failover-refused", "failover-skipped", "no-master"):
            print("  note:", f[2])

    ok = compare_dashboard(args.dump, t_locks, t_counters, args.sent)
    ok = compare_watch(args.watch, t_locks) and ok
    ok = report_failovers(args.failovers, int(args.follow_timeout_ms or 0),
                          int(args.switch_timeout_ms or 0), args.tilts or "0") and ok

    d0, d1, w0, w1 = args.rss.split(",")
    print("RSS dashboard: %s kB at start, %s kB at the end; watch: %s kB -> %s kB"
          % (d0, d1, w0, w1))
    series = read_tsv(args.rss_series)
    if series:
        print("RSS every 60 s (s since start: dashboard, watch): " +
              "; ".join("%s: %s, %s" % (t, mb(d), mb(w)) for t, d, w in series))
    print("crashes: %s" % args.crashes)
    ok = ok and args.crashes == "0"
    print("verdict:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
