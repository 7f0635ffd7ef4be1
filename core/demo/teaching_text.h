// The teaching text the core hands to people — lock and counter strategies' summaries and hazards,
// the fault table's summaries and expected outcomes, the lock states' names and meanings, the
// topology roles, the verdict's fixed phrases, and the sentences said with a run's values (the
// monitor's evidence and details, the demos' event lines and verdict details, the topology's
// notes: util/message.h) — each under a stable message id. The CLI prints the
// English as it is; the dashboard translates by id (ui/common/core_text.cpp holds one
// QT_TRANSLATE_NOOP3 line per id, and tests/ui/common/test_translations fails for an id without
// one, or whose English there differs from the English here). The core stays free of Qt.
//
// Most ids are derived from a table's own stable key ("lock.<strategy>.hazard"), so a new strategy
// or fault adds its table row as before and one ui line per text (docs/translations.md).
//
// Thread contract: pure functions over immutable tables.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "demo/faults.h"
#include "monitor/key_record.h"
#include "sandbox/topology.h"
#include "util/message.h"

namespace lockscope::demo {

struct TeachingText {
    std::string id;            // stable: the dashboard's translations are keyed by it
    std::string_view english;  // what the CLI prints; the dashboard's fallback
};

std::string lockSummaryId(std::string_view strategy);        // lock.<id>.summary
std::string lockHazardId(std::string_view strategy);         // lock.<id>.hazard ("" hazards too)
std::string counterSummaryId(std::string_view strategy);     // counter.<id>.summary
std::string counterContentionId(std::string_view strategy);  // counter.<id>.contention
std::string faultSummaryId(Fault fault);                     // fault.<name>.summary
// outcome.<fault>.<strategy or "any">[.<scope>]
std::string outcomeId(const Expectation& e);
std::string lockStateNameId(monitor::LockState s);         // state.<name>.name
std::string lockStateExplanationId(monitor::LockState s);  // state.<name>.meaning
std::string stalenessId(monitor::Staleness s);             // stale.<name> ("" for Fresh)
std::string nodeRoleId(sandbox::NodeRole r);               // role.<name>
std::string nodeStateId(sandbox::NodeState s);             // node-state.<name>
std::string topologyKindId(sandbox::TopologyKind k);       // topology.<name>

// The verdict's own sentences (judgeLockRun); %1 stands for what the table or the run supplies.
inline constexpr std::string_view kVerdictNotInjectedId = "verdict.not-injected";
inline constexpr std::string_view kVerdictNotInjected =
    "the run ended before the fault could be injected: give it more --ops.";
inline constexpr std::string_view kVerdictOverlapId = "verdict.overlap-without-fault";
inline constexpr std::string_view kVerdictOverlap = "holders overlapped without any fault: %1.";
inline constexpr std::string_view kVerdictNotAsDocumentedId = "verdict.not-as-documented";
inline constexpr std::string_view kVerdictNotAsDocumented =
    "not as documented (%1). Documented: %2";

// "a %1 b" with %1.. replaced by args, in the order given (the CLI's rendering of a template).
using lockscope::fillPlaceholders;

// Every teaching text with its id, for the translation check and tools.
std::vector<TeachingText> teachingTexts();

}  // namespace lockscope::demo
