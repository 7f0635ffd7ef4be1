#include "ui/common/table_export.h"

#include <algorithm>
#include <sstream>
#include <string>
#include <utility>

#include "cli/json.h"
#include "util/clock.h"

namespace lockscope::ui {
namespace {

using cli::Json;

// One row: (column, cell) in the JSON's order, nested objects as "parent.child".
void flatten(const Json& j, const std::string& prefix,
             std::vector<std::pair<std::string, std::string>>& out) {
    for (auto it = j.begin(); it != j.end(); ++it) {
        const std::string name = prefix + it.key();
        if (it->is_object())
            flatten(*it, name + ".", out);
        else if (it->is_null())
            out.emplace_back(name, std::string());
        else if (it->is_string())
            out.emplace_back(name, it->get<std::string>());
        else
            out.emplace_back(name, it->dump());
    }
}

// RFC 4180: quoted when it holds a comma, a quote or a line break; quotes doubled.
std::string csvCell(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

}  // namespace

QByteArray exportRecords(const std::vector<monitor::KeyRecord>& records, ExportFormat format,
                         const std::vector<std::string>& nodeNames) {
    const auto now = monitor::Steady::now();
    const long long wall = systemClock().wallMillis();
    Json all = Json::array();
    for (const auto& r : records) {
        const bool named = r.node >= 0 && static_cast<size_t>(r.node) < nodeNames.size();
        all.push_back(
            cli::keyRecordJson(r, wall, now, named ? nodeNames[static_cast<size_t>(r.node)] : ""));
    }
    std::ostringstream out;
    if (format == ExportFormat::Json) {
        cli::printJsonArray(out, std::move(all));  // the CLI's escaping of unsafe strings too
        return QByteArray::fromStdString(out.str());
    }
    // Columns: every field any row has, in the order first seen (a lock's optional fields, such
    // as hold_count, come after the ones every lock has).
    std::vector<std::vector<std::pair<std::string, std::string>>> rows;
    std::vector<std::string> columns;
    for (const auto& j : all) {
        // The same text the JSON export holds (bytes that are not plain text as \xHH).
        std::ostringstream line;
        cli::printJsonLine(line, j);
        const Json safe = Json::parse(line.str());
        rows.emplace_back();
        flatten(safe, "", rows.back());
        size_t at = 0;
        for (const auto& [name, cell] : rows.back()) {
            auto it = std::find(columns.begin(), columns.end(), name);
            if (it == columns.end())
                it = columns.insert(columns.begin() + static_cast<long>(at), name);
            at = static_cast<size_t>(it - columns.begin()) + 1;
        }
    }
    for (size_t i = 0; i < columns.size(); ++i) out << (i ? "," : "") << csvCell(columns[i]);
    out << "\r\n";
    for (const auto& row : rows) {
        for (size_t i = 0; i < columns.size(); ++i) {
            if (i) out << ',';
            for (const auto& [name, cell] : row)
                if (name == columns[i]) out << csvCell(cell);
        }
        out << "\r\n";
    }
    return QByteArray::fromStdString(out.str());
}

}  // namespace lockscope::ui
