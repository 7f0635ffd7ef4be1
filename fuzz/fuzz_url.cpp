// libFuzzer target: the URL and --nodes parsers (redis/url.h).
// Invariants: malformed input is a redis::Error(InvalidArgument), never anything else; a parsed
// URL's display() parses back to the same URL with the password shown as "***"; a password never
// appears in display() or in an error message.
#include <cstdint>
#include <string>

#include "fuzz/fuzz_support.h"
#include "redis/error.h"
#include "redis/url.h"

using namespace lockscope;
using lockscope::fuzz::require;

namespace {

// A password no other part of an input is likely to contain: when it occurs once in the input,
// it must occur nowhere in what LockScope prints.
constexpr std::string_view kSecret = "Zq7-s3cret-Vx";

bool mentionsSecret(std::string_view text) { return text.find(kSecret) != std::string_view::npos; }

void checkParsed(const redis::Url& url, std::string_view input, bool secretOnce) {
    const std::string shown = url.display();
    if (secretOnce) require(!mentionsSecret(shown), "display() shows the password", shown);
    redis::Url again;
    try {
        again = redis::parseUrl(shown);
    } catch (const redis::Error& e) {
        fuzz::violated("display() does not parse back", shown + "\n  " + e.what());
    }
    require(again.scheme == url.scheme, "scheme changed through display()", shown);
    require(again.hosts == url.hosts, "hosts changed through display()", shown);
    require(again.unixPath == url.unixPath, "socket path changed through display()", shown);
    require(again.masterName == url.masterName, "master name changed through display()", shown);
    require(again.db == url.db, "database changed through display()", shown);
    require(again.user == url.user, "user changed through display()", shown);
    require(again.password == (url.password.empty() ? "" : "***"), "password not masked", shown);
    if (url.scheme == redis::Url::Scheme::Redis || url.scheme == redis::Url::Scheme::Unix) {
        auto e = url.endpoint();
        if (secretOnce) require(!mentionsSecret(e.display()), "endpoint shows the password");
    }
    (void)input;
}

// `secretOnce`: the text holds kSecret once, as the password of its userinfo.
void parseOne(std::string_view text, bool secretOnce) {
    try {
        checkParsed(redis::parseUrl(text), text, secretOnce);
    } catch (const redis::Error& e) {
        require(e.kind() == redis::ErrorKind::InvalidArgument, "not an InvalidArgument", e.what());
        if (secretOnce)
            require(!mentionsSecret(e.what()), "error message shows the password", e.what());
    }
    try {
        redis::Endpoint base;
        base.password = std::string(kSecret);
        for (const auto& node : redis::parseNodeList(text, base))  // base's password, not text's
            if (!mentionsSecret(text))
                require(!mentionsSecret(node.display()), "node display shows the password");
    } catch (const redis::Error& e) {
        require(e.kind() == redis::ErrorKind::InvalidArgument, "not an InvalidArgument", e.what());
        if (secretOnce)
            require(!mentionsSecret(e.what()), "error message shows the password", e.what());
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    parseOne(text, false);
    // The same input with a password in its userinfo, as operators paste URLs.
    if (auto sep = text.find("://"); sep != std::string::npos && !mentionsSecret(text)) {
        std::string withSecret = text;
        withSecret.insert(sep + 3, "u:" + std::string(kSecret) + "@");
        parseOne(withSecret, true);
    }
    return 0;
}
