// Sentences for people, under stable message ids: the monitor's evidence ("why") and details, the
// demos' event lines and verdict details, the sandbox's topology notes. The core is free of Qt and
// speaks English (the CLI and its JSON print exactly that); each sentence also carries its id and
// the values that fill its %1.., so the dashboard can say it in its own language
// (ui/common/core_text.cpp, docs/translations.md).
//
// A sentence's English is a template: %1..%9 stand for values (numbers, keys, addresses, names the
// run supplies), never for other English words — a part that would need translating is a sentence
// of its own.
//
// Thread contract: value types and pure functions.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lockscope {

struct MessageText {
    std::string_view id;       // stable: translations are keyed by it ("why.ttl-set")
    std::string_view english;  // the template, %1.. for values
};

// One use of a MessageText: the values for its placeholders. `id` empty: plain text from elsewhere
// (an error message), said as it is in every language (plainMessage()).
struct Message {
    std::string_view id;
    std::string_view english;
    std::vector<std::string> args;
};

inline Message message(const MessageText& t, std::vector<std::string> args = {}) {
    return {t.id, t.english, std::move(args)};
}

inline Message plainMessage(std::string text) { return {{}, "%1", {std::move(text)}}; }

// "a %1 b" with %1.. replaced by args, in one pass (an argument holding "%2" stays as it is);
// a placeholder without an argument stays as written.
std::string fillPlaceholders(std::string_view english, const std::vector<std::string>& args);
// The English of `m`, filled.
std::string render(const Message& m);
// The English of every part, filled, joined by `separator`.
std::string render(const std::vector<Message>& parts, std::string_view separator);

}  // namespace lockscope
