// Reading `lockscope-cli watch --json` from a child process in tests.
//
// Thread contract: the test's thread, like the ChildProcess it reads.
#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <chrono>
#include <optional>
#include <string>

#include "child_process.h"

namespace lockscope::test {

// The first JSON line of `child` that names `key`, skipping "# ..." status lines; the status
// lines seen on the way are appended to `said`. Each try waits up to 200 ms for a line.
inline std::optional<QJsonObject> watchLineFor(ChildProcess& child, const std::string& key,
                                               std::string& said, int tries = 75) {
    for (int i = 0; i < tries; ++i) {
        auto line = child.readLine(std::chrono::milliseconds(200));
        if (!line) continue;
        if (line->rfind("#", 0) == 0) {
            said += *line + "\n";
            continue;
        }
        if (line->find("\"key\":\"" + key + "\"") != std::string::npos)
            return QJsonDocument::fromJson(QByteArray::fromStdString(*line)).object();
    }
    return std::nullopt;
}

}  // namespace lockscope::test
