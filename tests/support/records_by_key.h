#pragma once
// A `locks --json` / `counters --json` array as a map from each record's key, with `prefix` cut
// off the front (the tests' keys all start with their own prefix).
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <map>
#include <string>

namespace lockscope::test {

inline std::map<QString, QJsonObject> recordsByKey(const std::string& json,
                                                   const std::string& prefix) {
    std::map<QString, QJsonObject> out;
    const auto a = QJsonDocument::fromJson(QByteArray::fromStdString(json)).array();
    for (const auto& v : a) {
        auto o = v.toObject();
        out[o["key"].toString().mid(static_cast<int>(prefix.size()))] = o;
    }
    return out;
}

}  // namespace lockscope::test
