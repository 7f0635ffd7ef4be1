#!/usr/bin/env python3
"""The chaos soak's verdict (bench/chaos_soak.sh): the dashboard's tables (its state dump) and
`watch --json`'s last view of each key against a fresh `locks --json` / `counters --json`.

Compared: the set of lock keys with their holders and formats, and the counters with their values.
Prints the report; exits 1 on a crash or a difference."""
import json
import sys


def load_array(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        return {"error": str(e)}


def main():
    (dump_path, watch_path, locks_path, counters_path, sent, rss_d0, rss_d1, rss_w0, rss_w1,
     crashes, duration, faults) = sys.argv[1:13]
    ok = True
    truth_locks = load_array(locks_path)
    truth_counters = load_array(counters_path)
    if isinstance(truth_locks, dict) or isinstance(truth_counters, dict):
        print("no fresh locks/counters --json:", truth_locks, truth_counters)
        return 1
    t_locks = {l["key"]: (l.get("holder"), l["format"]) for l in truth_locks}
    t_counters = {c["key"]: c["value"] for c in truth_counters}

    try:
        with open(dump_path) as f:
            dump = json.load(f)
    except (OSError, ValueError) as e:
        print("no dashboard state dump:", e)
        dump = None
        ok = False
    if dump is not None:
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
        ok = ok and not lock_diff and not counter_diff
        print("dashboard: GUI loop stalls over 50 ms: %d (worst %.0f ms); reconnects: %d; "
              "events received: %d (write commands sent: %s)"
              % (dump.get("stalls_over_50ms", -1), dump.get("worst_stall_ms", -1),
                 dump.get("reconnects", -1), dump.get("events_received", -1), sent))

    # watch: the last line about each key wins; "removed" drops it.
    w_locks = {}
    statuses = 0
    reconnect_lines = 0
    with open(watch_path, errors="replace") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            if line.startswith("#"):
                statuses += 1
                if "reconnect" in line:
                    reconnect_lines += 1
                continue
            try:
                o = json.loads(line)
            except ValueError:
                continue
            if o.get("removed"):
                w_locks.pop(o["key"], None)
            elif "holder" in o:
                if o.get("state") == "free":
                    w_locks.pop(o["key"], None)
                else:
                    w_locks[o["key"]] = (o.get("holder"), o["format"])
    w_diff = set(w_locks.items()) ^ set(t_locks.items())
    print("watch --json: %d locks at the end; equal to the fresh read: %s; %d status lines "
          "(%d about reconnecting)" % (len(w_locks), "yes" if not w_diff else "NO", statuses,
                                       reconnect_lines))
    for d in sorted(w_diff, key=str)[:10]:
        print("  watch differs:", d)
    ok = ok and not w_diff
    print("RSS dashboard: %s kB at start, %s kB at the end; watch: %s kB -> %s kB"
          % (rss_d0, rss_d1, rss_w0, rss_w1))
    print("crashes: %s; duration %s s; faults injected: %s" % (crashes, duration, faults))
    ok = ok and crashes == "0"
    print("verdict:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
