// The dashboard's side of the core's teaching text (core/demo/teaching_text.h): one translatable
// entry per message id (core_text.cpp, context "CoreText", the id as disambiguation so lupdate
// extracts each), and helpers for the tables that carry text.
//
// Thread contract: any thread once the translators are installed (QCoreApplication::translate).
#pragma once

#include <QString>
#include <span>
#include <string_view>
#include <vector>

#include "counters/counter_strategy.h"
#include "demo/counter_demo.h"
#include "demo/faults.h"
#include "demo/lock_demo.h"
#include "locks/lock_strategy.h"
#include "monitor/key_record.h"
#include "sandbox/topology.h"
#include "util/message.h"

namespace lockscope::ui {

// As QT_TRANSLATE_NOOP3 writes it: {English, id}.
struct CoreTextEntry {
    const char* english;  // must equal the core's English for the id (the test checks)
    const char* id;
};
std::span<const CoreTextEntry> coreTextEntries();

// The translation of the core text `english` under `id`; `english` itself where no entry has the
// id, or its English differs (the core's text changed since it was translated).
QString coreText(std::string_view id, std::string_view english);

QString lockSummary(const locks::LockStrategyInfo& s);
QString lockHazard(const locks::LockStrategyInfo& s);  // "" for none
QString counterSummary(const counters::CounterStrategyInfo& s);
QString counterContention(const counters::CounterStrategyInfo& s);
QString faultSummary(const demo::FaultInfo& f);
QString expectedOutcome(const demo::Expectation& e);
QString lockStateText(monitor::LockState s);
QString lockStateMeaning(monitor::LockState s);
// The meaning of a lock's state where it is true of that lock: empty for a lock held without a
// TTL (a heartbeat, an expiry timestamp), which `held`'s "frees itself by its TTL" is not.
QString lockStateMeaning(const monitor::KeyState& r);
QString stalenessText(monitor::Staleness s);
QString nodeRoleText(sandbox::NodeRole r);
QString nodeStateText(sandbox::NodeState s);
QString topologyKindText(sandbox::TopologyKind k);
// A sentence the core said with values (util/message.h: the monitor's why and details, a demo's
// event lines and verdict details, a topology note), in the dashboard's language; plain text (an
// error message) as it is.
QString coreMessage(const Message& m);
// Clauses joined as the language joins them ("; " in English).
QString coreMessages(const std::vector<Message>& parts);
// A lock demo's result, said in the dashboard's language: the table's outcome, what differed from
// it, and the verdict's explanation.
QString expectedOutcome(const demo::LockDemoResult& r);
QString mismatchText(const demo::LockDemoResult& r);
QString explanation(const demo::LockDemoResult& r);
// A fault's event line, in the dashboard's language.
QString eventText(const demo::DemoEvent& e);
// A topology node's note, in the dashboard's language.
QString noteText(const sandbox::NodeView& n);
// A counter run's explanation: its sentence translated, filled with the run's numbers.
QString explanation(const demo::CounterDemoResult& r);

}  // namespace lockscope::ui
