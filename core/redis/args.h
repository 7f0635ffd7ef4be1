// Command arguments, binary safe, without copying caller strings.
//
// An Arg views a string the caller keeps alive for the duration of the call, or holds the decimal
// text of an integer (so `{"PEXPIRE", key, 1500}` needs no std::to_string at the call site).
//
// Thread contract: value types, no shared state.
#pragma once

#include <charconv>
#include <chrono>
#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace lockscope::redis {

class Arg {
public:
    Arg(std::string_view s) : view_(s) {}    // NOLINT(google-explicit-constructor)
    Arg(const char* s) : view_(s) {}         // NOLINT(google-explicit-constructor)
    Arg(const std::string& s) : view_(s) {}  // NOLINT(google-explicit-constructor)
    template <std::integral T>
    requires(!std::same_as<T, bool> && !std::same_as<T, char>)
        Arg(T value) {  // NOLINT(google-explicit-constructor)
        auto result = std::to_chars(digits_, digits_ + sizeof digits_, value);
        digitCount_ = static_cast<std::uint8_t>(result.ptr - digits_);
    }
    template <typename Rep, typename Period>
    Arg(std::chrono::duration<Rep, Period> d)  // NOLINT(google-explicit-constructor)
        : Arg(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()) {}

    std::string_view view() const {
        return digitCount_ ? std::string_view(digits_, digitCount_) : view_;
    }

private:
    std::string_view view_;
    char digits_[24] = {};
    std::uint8_t digitCount_ = 0;
};

using Args = std::span<const Arg>;

// A command assembled step by step, for argument lists whose length is only known at run time.
class Command {
public:
    Command() = default;
    Command(std::initializer_list<Arg> args) : args_(args) {}
    Command& operator<<(Arg a) {
        args_.push_back(a);
        return *this;
    }
    operator Args() const { return args_; }  // NOLINT(google-explicit-constructor)
    size_t size() const { return args_.size(); }

private:
    std::vector<Arg> args_;
};

}  // namespace lockscope::redis
