#include "cli/cli.h"

#include <cctype>
#include <iostream>
#include <sstream>
#include <utility>
#include <vector>

#include "cli/commands.h"
#include "cli/demo_commands.h"
#include "cli/json.h"
#include "cli/options.h"
#include "cli/profiles.h"
#include "cli/session.h"
#include "locks/lock_strategy.h"
#include "redis/error.h"
#include "redis/url.h"

#ifndef LOCKSCOPE_VERSION
#define LOCKSCOPE_VERSION "unknown"
#endif

namespace lockscope::cli {
namespace {

// One line per lock strategy, for the whole page and for `lock --help` / `demo --help`. Ids up
// to 19 characters (expirable-semaphore) line up; a longer one gets two spaces.
std::string lockStrategiesLines() {
    std::ostringstream h;
    for (const auto& s : locks::lockStrategies())
        h << "  " << s.id << std::string(s.id.size() < 20 ? 21 - s.id.size() : 2, ' ') << s.summary
          << "\n";
    return h.str();
}

std::string helpText() {
    std::ostringstream h;
    h << R"(lockscope-cli — see, test and teach Redis-based locks and counters

Usage: lockscope-cli [WHERE] COMMAND [options]

Where to connect (default redis://127.0.0.1:6379):
  --url URL        redis://[user:pass@]host[:port][/db]   one server over TCP
                   unix:///path/to/redis.sock[?db=N]       one server over a unix socket
                   redis+sentinel://host:port[,host:port...]/master[/db]
                                    the master the Sentinels name, followed across failovers
                   redis+cluster://host:port[,host:port...]
                                    every master of a Redis Cluster (locks, counters, watch)
  --nodes LIST     host:port,host:port,...  independent nodes of a Redlock group; a node
                   with its own credentials: user:pass@host:port or a redis:// URL
  --sandbox        start throwaway redis-server(s) on free loopback ports for this command
                   and stop them when it ends (3 nodes for redlock and the tour)
  --sandbox-nodes N  with --sandbox: how many servers a redlock command gets (default 3)
  --timeout MS     connect and reply timeout (default 2000); with TLS / SSH, for the whole
                   way there (tunnel, handshake)
  --profile NAME   a connection saved in the dashboard (File > Connect…; `profiles` lists
                   them); its password from --askpass, LOCKSCOPE_PASSWORD or the keychain. A
                   profile that opens read-only (its default, or marked production) refuses
                   commands that write unless --allow-writes
  --askpass        ask for the password on the terminal, without echo
  A password can also come from the LOCKSCOPE_PASSWORD environment variable.

TLS (as redis-cli names them; a rediss://, rediss+sentinel:// or rediss+cluster:// URL turns it on):
  --tls            connect over TLS; the certificate and the host name are verified
  --cacert FILE    CA certificate(s) to trust, PEM (default: the system's trusted CAs)
  --cacertdir DIR  a directory of CA certificates (made with openssl rehash)
  --cert FILE      client certificate, PEM, for tls-auth-clients yes (with --key)
  --key FILE       its private key; a passphrase comes from LOCKSCOPE_TLS_KEY_PASSPHRASE
  --sni NAME       server name to send and verify instead of the host connected to
  --insecure       no certificate or host name verification (said on stderr every time)
SSH tunnel (the system's ssh: ~/.ssh/config, the agent and known_hosts apply):
  --ssh [USER@]HOST[:PORT]  reach every server through this bastion; the URL names them as
                   the bastion sees them, and so are the addresses Sentinels and clusters announce
  --ssh-identity FILE     key to log in with; a passphrase comes from LOCKSCOPE_SSH_PASSPHRASE
  --ssh-known-hosts FILE  where the bastion's host key is (default: ssh's own known_hosts);
                   an unknown or changed host key is refused

Commands:
  strategies [--json]
      List every lock strategy with what it is for and how it fails.
  profiles [--json]
      The connections saved in the dashboard: name, where, mode (read-write, read-only,
      production) and colour tag, tab-separated.
  lock acquire KEY --strategy S --ttl MS [--hold MS] [--wait MS] [--json]
               [--mode read|write] [--permits N] [--adopt-bare-count]
      Take a lock and print its token (the holder string `locks` shows). --wait retries for up
      to MS while it is busy. --hold keeps it for MS (renewing every TTL/3 on the current master
      of a Sentinel URL, until Ctrl-C), then releases it; a lease lost meanwhile is exit 1.
      read-write: --mode read takes a read lock (default write). semaphore,
      expirable-semaphore: --permits N is the size of a semaphore that does not exist yet
      (default 1); the token names the permit taken. A key of another kind is refused, unchanged
      (a bare integer too: --adopt-bare-count if you know it is a Redisson semaphore).
  lock release KEY --token T [--observe MS] [--adopt-bare-count] [--accept-guess]
      Release as the lock's own client would, only if KEY is a lock of a known format still held
      with token T (string locks: the value; reentrant and Redisson locks: the "<uuid>:<threadId>"
      field, one hold at a time; heartbeat locks: the owner). Every node; audited.
  lock extend KEY --token T --ttl MS [--accept-guess]
      Reset the lease to MS, only if KEY is still held with token T (setnx-getset: the expiry in
      the value is rewritten; heartbeat: refused).
  lock inspect KEY --strategy S [--json]
      Show holder, TTL and strategy details of one lock (for redlock: every node; fair: the
      queue in order with each waiter's deadline; read-write: mode, readers, writer, writers
      waiting; semaphores: permits free and taken, and by whom with their leases; latch: count).
  latch set KEY --count N | latch count-down KEY | latch await KEY [--wait MS]
      A countdown latch (Redisson's layout): set it to N (if open), count it down, or wait until
      it reaches 0 (exit 1 if it is still closed after MS). A key that is not a latch is refused
      (--adopt-bare-count: a bare integer you know is a Redisson latch); count-down of a latch
      that does not exist is exit 1; await treats it as open (count 0), as Redisson does.
  lock force-release KEY --holder H [--yes] [--observe MS] [--permits K] [--adopt-bare-count]
                     [--value-length N] [--accept-guess]
      The operator's button: remove holder H you saw from KEY, only if it still holds it (any
      lock format LockScope recognises; other readers keep a read lock; waiters are woken). Asks
      first on a terminal unless --yes; "holder changed" (exit 1) otherwise. Audited first.
      An integer lock (1, a pid, a heartbeat counter) is watched --observe MS first (default
      3000; 0: not) and not deleted if it moved: it may be a live heartbeat. A plain semaphore
      (H = taken:N/SIZE): K permits go back (default 1, at most N) — its permits name no holder,
      so nothing tells a leaked one from a live holder's. A holder printed with holder_cut
      (the start of a value longer than 256 bytes): --value-length N (its value_length) compares
      the whole length too (without it: the length read just before).
      A lock LockScope only guessed (`locks` says "a guess": a lock word and a value's shape, no
      library's layout, no rule) is refused (exit 1) unless --accept-guess says you checked it
      is a lock: a ban (user:42:lock_chat = 1 EX 86400) or a login lockout looks the same. The
      same for release and extend. A `lock GLOB` rule makes keys like it locks to act on
      without it. LockScope's own setnx-getset lock (a bare expiry time) is such a guess.
  KEY, T and H are typed as LockScope prints them (\xHH a byte, \\ a backslash); after --
  every word is an argument, so a key may start with '-'.
  locks [--match GLOB] [--lock-pattern GLOB]... [--not-lock GLOB]... [--json]
      Every lock on the server (or each --nodes node), whoever made it: format, holder, TTL, state
      (held, expiring, stuck-no-ttl, expired-timestamp, heartbeat-stale, orphaned, split), and
      why it is taken for a lock. Known libraries' layouts match exactly; other keys are judged
      by evidence (a lock-like word in the name, the value's shape, the TTL).
      --lock-pattern GLOB makes matching keys locks whatever their value, --not-lock GLOB keeps
      them out (both repeatable; not-lock wins). The rules file
      $XDG_CONFIG_HOME/lockscope/rules (docs/rules.md) is read first unless --no-rules-file.
      --scan-budget PERCENT|unlimited paces the sweep (default 10; --sandbox: unlimited).
  locks --observe SECONDS [--match GLOB] [--json]
      Follow the target that long (keyspace notifications where they are on), then list every lock
      seen, also those gone since, with how it behaved: acquisitions, hold time p50 / p99 / max,
      leases that ran out while held, takeovers, a heartbeat's period ("stats" in JSON).
  inspect-key KEY [--lock-pattern GLOB]... [--not-lock GLOB]... [--json]
      Read one key (read-only) and say whether it is a lock, of which format, and why — or why
      not.
  counters [--match GLOB] [--window MS] [--scan-budget PERCENT|unlimited] [--json]
      Every counter with its value and its rate, measured over MS (default 1000). The sweep is
      paced as for locks.
  watch [--match GLOB] [--enable-notifications] [--scan-budget PERCENT|unlimited] [--json]
      Live view, following keyspace notifications (polling where they are off). Without a
      terminal (or with --json) it prints one JSON line per change. --scan-budget: the share of
      the server's time polling may use (default 3; --sandbox: unlimited); locks and counters
      already found are refreshed first, new keys are found by a background sweep.
  tour
      Take one lock of every strategy, show how each looks in Redis, release them.
  topology standalone|redlock|sentinel|cluster [--redlock-nodes N] [--for MS] [--json]
      Start a sandbox topology on loopback ports (redlock: N masters, default 5; sentinel: master,
      replica, 3 Sentinels; cluster: 3 masters + 3 replicas), print the --url / --nodes to monitor
      it and each node's role, print role changes (failovers) until Ctrl-C or --for MS, then stop
      every process it started.
)" << demoCommandsHelp()
      << R"(
Lock strategies:
)";
    h << lockStrategiesLines();
    h << demoStrategiesHelp();
    h << R"(
Durations (--ttl, --observe, --wait, --window, --timeout, ...): a bare number in the unit shown
(MS, SECONDS), or a whole number with a unit — ms, s, min or h (500ms, 30s, 2min, 1h); --observe
is at most 1 h.

Exit codes: 0 success; 1 the operation failed (lock busy, not the owner); 2 usage error;
3 connection error (a failed TLS or SSH handshake too); 4 partial: locks / counters could not
read part of the keyspace (a node unreachable or refusing, keys answering CLUSTERDOWN / LOADING /
BUSY), or a write was done on some nodes only or not written to the audit log; said on stderr.
Errors are one line on stderr that says what to do.
)";
    return h.str();
}

// `COMMAND --help` (and `lock acquire --help`): that command's entries of the Commands section
// of helpText(), with the strategies and faults it takes; "" when helpText() has no such entry.
std::string commandHelp(const std::string& command, const std::string& sub) {
    const std::string all = helpText();
    const auto begin = all.find("\nCommands:\n");
    const auto end = all.find("\n\n", begin + 1);
    if (begin == std::string::npos || end == std::string::npos) return {};
    std::istringstream section(all.substr(begin + 11, end - begin - 11));
    // An entry starts at a line with a two-space indent and runs over the deeper-indented lines
    // after it; a note in capitals ("  KEY, T and H are typed...") belongs to the entries above.
    std::vector<std::pair<std::string, std::string>> entries;  // first word(s), text
    for (std::string line; std::getline(section, line);) {
        const bool starts = line.size() > 2 && line.compare(0, 2, "  ") == 0 && line[2] != ' ' &&
                            !std::isupper(static_cast<unsigned char>(line[2]));
        if (starts || entries.empty())
            entries.emplace_back(line.substr(2), line + "\n");
        else
            entries.back().second += line + "\n";
    }
    auto matches = [](const std::string& head, const std::string& words) {
        return head.compare(0, words.size(), words) == 0 &&
               (head.size() == words.size() || head[words.size()] == ' ');
    };
    std::string text;
    for (const auto& [head, body] : entries)
        if (!sub.empty() && matches(head, command + " " + sub)) text += body;
    if (text.empty())
        for (const auto& [head, body] : entries)
            if (matches(head, command)) text += body;
    if (text.empty()) return {};
    std::ostringstream h;
    h << "Usage: lockscope-cli [WHERE] " << command << " ...\n\n" << text;
    if (command == "lock" || command == "demo") {
        h << "\nLock strategies:\n" << lockStrategiesLines();
    }
    if (command == "demo") h << demoStrategiesHelp();
    h << "\nWHERE (--url, --nodes, --profile, --sandbox, TLS and SSH options) and the exit codes: "
         "lockscope-cli --help\n";
    return h.str();
}

}  // namespace

int strategiesCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream&) {
    Parsed p = parseOptions(args, withGlobal({{"json", false}}), "strategies");
    if (p.has("json")) {
        printJsonArray(out, strategiesJson());
        return kOk;
    }
    for (const auto& s : locks::lockStrategies()) {
        out << s.id << "\n    " << s.summary << "\n";
        if (!s.hazard.empty()) out << "    hazard: " << s.hazard << "\n";
    }
    return kOk;
}

int run(int argc, char** argv, std::ostream& out, std::ostream& err) {
    std::vector<std::string> args(argv + 1, argv + argc);
    try {
        auto hasFlag = [&](const char* f) {
            for (const auto& a : args) {
                if (a == "--") return false;  // after it: arguments (a key may be "--help")
                if (a == f) return true;
            }
            return false;
        };
        if (hasFlag("--version")) {
            out << "lockscope-cli " << LOCKSCOPE_VERSION << "\n";
            return kOk;
        }
        if (hasFlag("--help") || hasFlag("-h")) {
            // With a command word: that command's help only.
            std::vector<std::string> withoutHelp;
            for (const auto& a : args)
                if (a != "--help" && a != "-h") withoutHelp.push_back(a);
            if (auto split = splitCommand(withoutHelp, globalOptions())) {
                const std::string sub = split->rest.empty() ? "" : split->rest.front();
                const std::string text = commandHelp(split->word, sub);
                if (text.empty())
                    throw UsageError("unknown command '" + redis::withoutPassword(split->word) +
                                     "' (see lockscope-cli --help)");
                out << text;
                return kOk;
            }
            out << helpText();
            return kOk;
        }
        // Global options may stand before the command word.
        auto split = splitCommand(args, globalOptions());
        if (!split) {
            err << "lockscope-cli: no command given\n" << helpText();
            return kUsage;
        }
        const std::string& command = split->word;
        const auto& rest = split->rest;
        installStopHandlers();
        if (command == "lock") return lockCommand(rest, out, err);
        if (command == "demo") return demoCommand(rest, out, err);
        if (command == "worker") return workerCommand(rest, out, err);
        if (command == "tour") return tourCommand(rest, out, err);
        if (command == "locks" || command == "counters" || command == "watch" ||
            command == "inspect-key")
            return monitorCommand(command, rest, out, err);
        if (command == "strategies") return strategiesCommand(rest, out, err);
        if (command == "topology") return topologyCommand(rest, out, err);
        if (command == "latch") return latchCommand(rest, out, err);
        if (command == "profiles") return profilesCommand(rest, out, err);
        throw UsageError("unknown command '" + redis::withoutPassword(command) +
                         "' (see lockscope-cli --help)");
    } catch (const UsageError& e) {
        err << "lockscope-cli: " << e.what() << "\n";
        return kUsage;
    } catch (const redis::Error& e) {
        err << "lockscope-cli: " << e.what() << "\n";
        switch (e.kind()) {
            case redis::ErrorKind::InvalidArgument:
                return kUsage;
            case redis::ErrorKind::Connect:
            case redis::ErrorKind::Tls:
            case redis::ErrorKind::Ssh:
            case redis::ErrorKind::Timeout:
            case redis::ErrorKind::Closed:
            case redis::ErrorKind::Io:
            case redis::ErrorKind::Protocol:
            case redis::ErrorKind::Auth:
            case redis::ErrorKind::Busy:
                return kConnection;
            default:
                return kFailed;
        }
    } catch (const std::exception& e) {
        // e.g. the sandbox could not start redis-server
        err << "lockscope-cli: " << e.what() << "\n";
        return kConnection;
    }
}

}  // namespace lockscope::cli
