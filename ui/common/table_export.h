// The Locks and Counters tables exported as JSON and CSV with the fields of
// `lockscope-cli locks --json` / `counters --json`: the JSON is built by the CLI's own
// cli::keyRecordJson (one implementation of the record's fields), the CSV is that JSON
// flattened — one column per field in the order the JSON lists them, a nested object's fields as
// "owner.host", null as an empty cell.
//
// Thread contract: pure functions.
#pragma once

#include <QByteArray>
#include <vector>

#include "monitor/key_record.h"

namespace lockscope::ui {

enum class ExportFormat { Csv, Json };

// `nodeNames`: on a Sentinel or cluster target, the name of each node (MonitorStatus::nodes
// order), so each record gets the `node` field `locks --json` gives it; empty elsewhere.
QByteArray exportRecords(const std::vector<monitor::KeyRecord>& records, ExportFormat format,
                         const std::vector<std::string>& nodeNames = {});

}  // namespace lockscope::ui
