// The monitor's sentences for people, clause by clause, each under a message id (util/message.h):
// why() and describe() are their English joined by "; " (the CLI and its JSON print that), and the
// dashboard says each clause in its language (ui/common/core_text.cpp).
//
// Thread contract: pure functions.
#pragma once

#include <span>
#include <vector>

#include "monitor/key_record.h"
#include "monitor/rules.h"
#include "util/message.h"

namespace lockscope::monitor {

// classifier.h's why(): the evidence that made the record a lock.
std::vector<Message> whyParts(const KeyRecord& r, const LockRules* rules = nullptr);
// key_record.h's describe(): the details of its value ("beat 17, period 1000 ms").
std::vector<Message> describeParts(const KeyState& r, long long wallNowMs);

// Every clause they can give, for the translations and their check.
std::span<const MessageText* const> whyTexts();
std::span<const MessageText* const> describeTexts();

}  // namespace lockscope::monitor
