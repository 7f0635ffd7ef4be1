#!/usr/bin/env python3
"""Writes the seed corpus fuzz/corpus/<target>/ from inputs the test fixtures use.

The files are committed; run this again after changing an input layout (fuzz_support.h's Input:
fixed-size numbers big-endian, fields ended by NUL) or to add seeds.
"""
import hashlib
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def write(target, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def n64(v):
    return struct.pack(">q", v)


def field(s):
    return (s.encode() if isinstance(s, str) else s) + b"\0"


# Every URL form of redis/url.h, and the mistakes the unit tests check.
URLS = [
    "redis://127.0.0.1:6379", "redis://:pw@h:1/2", "redis://u:p@127.0.0.1:7001/2",
    "redis://[::1]:6380/1", "redis://secret@host", "redis://u%40x:p%3Aq@h:1",
    "unix:///nonexistent/lockscope.sock", "unix:///tmp/r.sock?db=3",
    "redis+sentinel://127.0.0.1:1/mymaster", "redis+sentinel://a:1,b:2/mymaster/3",
    "redis+cluster://h:1", "redis+cluster://u:p@a:1,b:2", "rediss://h:1", "redis://h:0",
    "redis://h:65536", "redis://::1:6379", "redis://[::1", "redis://h:1/x", "redis://a,b",
    "redis+sentinel://a:1/", "redis+cluster://a:1/2", "unix://relative", "redis://u:%zz@h",
    "127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003",
]
for u in URLS:
    write("fuzz_url", u.encode())

# Bytes as keys and values arrive: plain, escaped-looking text, invalid UTF-8, controls, C1,
# bidi overrides, line separators.
TEXTS = [b"lock:order:42", b"lock:\\xff", b"lock:\xff\xfe-bin", b"a\nb\tc\x00d", b"\xc2\x85",
         "\u202eevil".encode(), "a\u2028b".encode(), "锁:订单:42".encode(), b"\\", b"\\x4",
         b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"-leading"]
for t in TEXTS:
    write("fuzz_text", t)

TYPES = ["string", "hash", "list", "set", "zset", "none", "moved", "ask"]
WALL = 1_796_000_000_000


def observation(type_, key, value="", pttl=-1, idle=None, length=None, fields=(), moved=""):
    out = bytes([TYPES.index(type_)]) + n64(pttl) + bytes([0])
    out += bytes([1]) + n64(idle) if idle is not None else bytes([0])
    out += n64(length if length is not None else len(value))
    out += bytes([0]) + field(key) + field(value) + field(moved)
    out += bytes([len(fields)])
    for k, v in fields:
        out += field(k) + field(v)
    return out


def classifier(obs, later=None, clients=""):
    head = bytes([0, 0, 0]) + field(clients) + bytes([1 if clients else 0])
    return head + obs + (later or obs)


TOKEN = "lockscope:set-nx-px:h:1:0123abcd:0123456789abcdef"
UUID_FIELD = "2b1f0c7e-3f4d-4a6b-9c1d-6e5f4a3b2c1d:47"
SEEDS = [
    observation("string", "lock:a", TOKEN, pttl=30000),
    observation("string", "lockscope:demo:abc:lock", "lockscope:fenced:h:1:0123abcd:0123456789abcdef",
                pttl=5000),
    observation("hash", "hb", fields=[("owner", TOKEN), ("beat", "17"), ("period_ms", "1000")],
                pttl=-1),
    observation("hash", "rlock", fields=[(UUID_FIELD, "2")], pttl=29000),
    observation("hash", "rw", fields=[("mode", "read"), (UUID_FIELD, "1"),
                                      ("3c4d5e6f-0000-4000-8000-000000000001:9", "1")], pttl=9000),
    observation("hash", "{rw}:" + UUID_FIELD + ":rwlock_timeout:1", fields=[], pttl=9000),
    observation("hash", "ver", fields=[("value", "41"), ("version", "7")]),
    observation("string", "lock:py", "QUJDREVGR0hJSktMTU5PUFFS", pttl=60000),
    observation("string", "rp", "0123456789ab1def8123456789abcdef", pttl=10000),
    observation("string", "nr", "0123456789abcdef0123456789abcdef", pttl=10000),
    observation("string", "sg", str(WALL + 5000)),
    observation("string", "sg-ttl", str(WALL + 5000), pttl=8000),
    observation("string", "visits", "42"),
    observation("string", "mylock", "1"),
    observation("string", "lock:order:42", "1", pttl=600000),
    observation("string", "app:lock:job", "worker-3", pttl=60000),
    observation("string", "app:mutex:x", "locked"),
    observation("string", "bin\xff", "\x00\x01", pttl=1000),
    observation("list", "lock-signal:x", length=1),
    observation("string", "k", "", pttl=-2),
    observation("moved", "k", moved="127.0.0.1:7002"),
]
for s in SEEDS:
    write("fuzz_classifier", classifier(s))
write("fuzz_classifier", classifier(observation("string", "mylock", "1"),
                                    observation("string", "mylock", "2"),
                                    "id=3 addr=127.0.0.1:5 name=lockscope:h:1:0123abcd cmd=ping\n"))

# Command lines from docs/cli-contract.md.
ARGS = [
    ["locks", "--json"], ["counters", "--match", "visit*"], ["--url", "redis://h:1/2", "locks"],
    ["--nodes", "127.0.0.1:7001,127.0.0.1:7002", "lock", "acquire", "k", "--strategy", "redlock"],
    ["lock", "force-release", "lock:\\xff", "--holder", "h", "--yes"], ["watch", "--window=5"],
    ["demo", "lock", "--strategy", "setnx-getset", "--fault", "clock-skew", "--skew", "-5000"],
    ["--timeout", "x", "locks"], ["--sandbox", "--sandbox-nodes", "5", "demo", "lock"],
    ["lock", "release", "--", "-leading", "--token", "t"],
]
for i, a in enumerate(ARGS):
    write("fuzz_cli_options", bytes([i % 2]) + b"\0".join(x.encode() for x in a))

# Rules files (docs/rules.md) and a key, as tests/core/monitor/test_classifier.cpp uses them.
RULES = [
    ("# ours\nlock jobs:*\nnot-lock cache:lock:*\n", "jobs:nightly"),
    ("lock semaphore:*\n", "semaphore:pool"),
    ("not-lock lock:order:*\nlock *\n", "lock:order:42"),
    ("lock job[12]\nlock a\\*b\nlock [^x]y?\n", "a*b"),
    ("bogus x\nlock\n  not-lock   *a*b*c*d*e*f  \r\n", "xxaxxbxxcxxdxxexxf"),
    ("lock 锁:*\n", "锁:订单:42"),
]
for text, key in RULES:
    write("fuzz_rules", field(text) + field(key))

# The CLI's other JSON shapes (fuzz_json): keys, tokens and texts the fixtures use, numbers from
# ordinary to the edges (NaN, inf as IEEE-754 bits).
NAN, INF = 0x7FF8000000000000, 0x7FF0000000000000
JSON_KEYS = [b"lock:order:42", b"lock:\xff\xfe-bin", b"a\nb\tc", "\u202eevil".encode(), b"\\x41"]
for i, key in enumerate(JSON_KEYS):
    which = bytes([i * 37 % 256])
    lease = n64(30000) + bytes([3]) + n64(1500) + n64(41) + bytes([1, 1])
    lease += field(key) + field(TOKEN) + field("set-nx-px")
    info = n64(29000) + bytes([1]) + n64(7) + bytes([2, 3]) + field(key) + field("redlock")
    info += field(TOKEN) + field("expires at 12:00:00") + bytes([2])
    info += bytes([1]) + n64(900) + field("127.0.0.1:7001") + bytes([1]) + field(TOKEN)
    info += bytes([0]) + n64(-2) + field("127.0.0.1:7002") + bytes([0])
    dbl = [NAN, INF, 0x3FF0000000000000, 0x0000000000000001][i % 4]
    demo = bytes([8]) + n64(5000) + n64(30000) + n64(40000) + n64(0) + n64(0)
    demo += n64(dbl) + n64(0x40C3880000000000) + n64(dbl) + n64(0x4059000000000000)
    demo += n64(1200) + field("fenced") + field("pause-holder") + field("run1") + field(key)
    demo += field("0 violations") + field("") + field("fenced rejects the stale write")
    demo += bytes([1]) + n64(2500) + field("holder paused")
    counter = bytes([0]) + n64(1000) + n64(998) + n64(2) + n64(dbl) * 4 + bytes([0])
    counter += field("locked") + field("set-nx-px") + field("locked:set-nx-px") + field("2 lost")
    write("fuzz_json", which + lease + info + demo + counter + n64(dbl) + bytes([2]))
