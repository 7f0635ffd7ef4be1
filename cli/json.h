// lockscope-cli's --json output, built with nlohmann::json: one builder per shape the CLI prints.
// Scripts and tests depend on these field names, their types and their order (README.md's
// lockscope-cli section, tests/cli, tests/core/*): change them only together with those.
//
// Strings may hold any bytes (Redis keys, holders, values, details that quote them). What is not
// valid UTF-8, or holds a character that could make it read as other text (a bidi override,
// U+2028, a C1 control: util/text.h's isSafeJsonText), is written the way displayBytes() shows it
// (\xHH, '\' doubled), as a whole string;
// printJson*() apply that rule to every string, so nothing reaches nlohmann's UTF-8 check raw.
//
// Thread contract: free functions, no shared state.
#pragma once

#include <chrono>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>

#include "demo/counter_demo.h"
#include "demo/lock_demo.h"
#include "locks/lock_strategy.h"
#include "monitor/key_record.h"
#include "monitor/key_store.h"
#include "monitor/rules.h"
#include "sandbox/topology.h"

namespace lockscope::cli {

// Insertion-ordered: fields print in the order they are added, the order the contract lists.
using Json = nlohmann::ordered_json;

// A measured double (a rate, ops/s, a latency) rounded to `decimals`. NaN and ±inf, which JSON
// cannot express, become null rather than being left out: every documented field stays present,
// and null says "not measurable" where a number would lie.
Json measured(double value, int decimals);

// One value on one line: single objects, and the streams `watch` and `topology` print.
void printJsonLine(std::ostream& out, Json value);
// An array with one element per line.
void printJsonArray(std::ostream& out, Json array);

// `strategies --json`: every lock strategy.
Json strategiesJson();
// `lock acquire --json`.
Json leaseJson(const std::string& strategy, const locks::Lease& lease,
               std::chrono::steady_clock::time_point now);
// `lock inspect --json`.
Json lockInfoJson(const std::string& key, const std::string& strategy, const locks::LockInfo& info);
// Its "primitive" member: a fair lock's queue, a read-write lock's readers and writer, a
// semaphore's permits, a latch's count (locks/primitive_state.h).
Json primitiveStateJson(const locks::PrimitiveState& s);
// The state the CLI shows: lockStateName, except a semaphore with every permit free, which is
// "unused" (its holder "taken:0/N" holds nothing), and a latch, "closed" (count left) or "open"
// (seen opening: its key went), as the dashboard says.
std::string shownStateName(const monitor::KeyRecord& r);
// A lock or counter of `locks`, `counters` and `watch`. `node`: where the key lives (cluster,
// Sentinel), "" to leave the field out. `rules`: the user's rules, to name the one that made it
// a lock in `why`.
Json keyRecordJson(const monitor::KeyRecord& r, long long wallNowMs,
                   monitor::Steady::time_point now, const std::string& node = {},
                   const monitor::LockRules* rules = nullptr);
// Issue 11.6: how a lock behaved while followed (`locks --observe`): the `stats` object.
// `stats` null: nothing was seen happen to it.
Json lockStatsJson(const monitor::LockStats* stats, const monitor::KeyState& r);
// `watch`: a key that is gone.
Json removedKeyJson(const std::string& key);
// `demo counter --json`: one row.
Json counterDemoJson(const demo::CounterDemoResult& r);
// `demo lock --json`.
Json lockDemoJson(const demo::LockDemoResult& r);
// `topology --json`: one snapshot.
Json topologyJson(const sandbox::TopologySnapshot& s, const std::string& nodesArg);

}  // namespace lockscope::cli
