// `lockscope-cli topology KIND`: start a sandbox topology (sandbox/topology.h) for manual failover
// testing, print how to monitor it and each node's role, keep it running — reporting role changes
// — until Ctrl-C (or --for MS), then stop every process it started.
#include <iomanip>
#include <ostream>
#include <thread>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/json.h"
#include "cli/session.h"
#include "sandbox/topology.h"

namespace lockscope::cli {
namespace {

using std::chrono::milliseconds;

std::string roleLine(const sandbox::NodeView& n) {
    std::string s = n.address + "  " + std::string(sandbox::nodeRoleName(n.role));
    if (n.state != sandbox::NodeState::Running)
        s += " (" + std::string(sandbox::nodeStateName(n.state)) + ")";
    if (!n.masterOf.empty()) s += " of " + n.masterOf;
    if (!n.ranges.empty()) s += "  slots " + redis::slotsText(n.ranges);
    return s;
}

void printTable(const sandbox::TopologySnapshot& s, std::ostream& out) {
    out << std::left << std::setw(4) << "#" << std::setw(18) << "ADDRESS" << std::setw(9) << "PID"
        << std::setw(11) << "ROLE" << std::setw(9) << "STATE"
        << "DETAIL\n";
    for (const auto& n : s.nodes) {
        std::string detail = !n.masterOf.empty()
                                 ? "replica of " + n.masterOf + " (" + n.linkStatus + ")"
                             : !n.ranges.empty() ? "slots " + redis::slotsText(n.ranges)
                                                 : n.note;
        out << std::setw(4) << n.index << std::setw(18) << n.address << std::setw(9)
            << (n.pid > 0 ? std::to_string(n.pid) : "-") << std::setw(11)
            << sandbox::nodeRoleName(n.role) << std::setw(9) << sandbox::nodeStateName(n.state)
            << detail << "\n";
    }
}

}  // namespace

int topologyCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    const std::string cmd = "topology";
    Parsed p = parseOptions(
        args, withGlobal({{"redlock-nodes", true}, {"for", true}, {"json", false}}), cmd);
    if (p.positional.size() != 1)
        throw UsageError("'" + cmd + "' takes one kind: standalone, redlock, sentinel or cluster");
    if (p.has("url") || p.has("nodes") || p.has("sandbox"))
        throw UsageError("'" + cmd + "' starts its own servers: drop --url / --nodes / --sandbox");
    auto kind = sandbox::parseTopologyKind(p.positional[0]);
    if (!kind)
        throw UsageError("unknown topology '" + p.positional[0] +
                         "'; use standalone, redlock, sentinel or cluster");
    sandbox::TopologyOptions o;
    o.kind = *kind;
    o.redlockNodes = static_cast<int>(p.integer("redlock-nodes", 5, 1));
    if (p.has("redlock-nodes") && *kind != sandbox::TopologyKind::Redlock)
        throw UsageError("--redlock-nodes is for the redlock topology");
    if (o.redlockNodes > 16) throw UsageError("--redlock-nodes must be at most 16");
    const bool forever = !p.has("for");
    const milliseconds runFor(p.millis("for", 0, 0));

    err << "starting a " << sandbox::topologyKindName(o.kind) << " topology on loopback ports...\n";
    sandbox::Topology t(o);
    auto snap = t.snapshot();
    if (p.has("json")) {
        printJsonLine(out, topologyJson(snap, t.nodesArg()));
    } else {
        printTable(snap, out);
        out << "\nmonitor it with:  lockscope-cli "
            << (snap.url.empty() ? "--nodes " + t.nodesArg() : "--url " + snap.url) << " watch\n"
            << "                  lockscope "
            << (snap.url.empty() ? "--nodes " + t.nodesArg() : "--url " + snap.url) << "\n";
        out << (forever
                    ? "running until Ctrl-C; role changes (failovers) are printed as they happen\n"
                    : "running for " + std::to_string(runFor.count()) + " ms\n");
    }
    out.flush();

    // Watch the roles: what a person doing failover testing wants to see change.
    const auto until = std::chrono::steady_clock::now() + runFor;
    std::vector<std::string> lines;
    for (const auto& n : snap.nodes) lines.push_back(roleLine(n));
    while (!stopRequested().load() && (forever || std::chrono::steady_clock::now() < until)) {
        std::this_thread::sleep_for(
            milliseconds(forever ? 1000 : std::min<long long>(200, runFor.count() + 1)));
        if (stopRequested().load() || (!forever && std::chrono::steady_clock::now() >= until))
            break;
        auto now = t.snapshot();
        bool changed = false;
        for (size_t i = 0; i < now.nodes.size(); ++i) {
            const std::string line = roleLine(now.nodes[i]);
            if (line == lines[i]) continue;
            changed = true;
            if (!p.has("json")) out << "changed: " << line << "\n";
            lines[i] = line;
        }
        if (changed && p.has("json")) printJsonLine(out, topologyJson(now, t.nodesArg()));
        out.flush();
    }
    err << "stopping every process of the topology\n";
    return kOk;
}

}  // namespace lockscope::cli
