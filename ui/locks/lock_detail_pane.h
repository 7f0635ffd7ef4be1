// The Locks view's detail pane for the selected lock: what it is and what its state means (text),
// its raw content as Redis holds it (a string's bytes or a hash's fields, read off the GUI thread
// by a ValueFetcher, binary bytes escaped, big values previewed), and the holder timeline (who held
// it when, from the HolderHistory the dashboard keeps).
//
// Thread contract: GUI thread only.
#pragma once

#include <QWidget>
#include <optional>
#include <string>
#include <unordered_map>

#include "monitor/key_record.h"
#include "ui/locks/value_fetcher.h"

class QLabel;
class QSplitter;
class QTableWidget;
class QTextBrowser;

namespace lockscope::ui {

class HolderHistory;
class HolderTimeline;
class MonitorBridge;

class LockDetailPane : public QWidget {
    Q_OBJECT
public:
    explicit LockDetailPane(QWidget* parent = nullptr);

    // Where values are read (the bridge's nodes, followed across restarts) and whose holder history
    // is drawn.
    void attach(MonitorBridge* bridge, HolderHistory* history);
    // Shows `record` (nullptr: nothing selected). A new key, or a new holder of the same key,
    // reads the value again.
    void showRecord(const monitor::KeyRecord* record);
    // The selected lock `key` left the table (freed and gone): nothing is selected, and the pane
    // says so rather than showing another lock.
    void showGone(const std::string& key);
    const std::string& key() const { return key_; }

    QTextBrowser* summary() const { return summary_; }
    HolderTimeline* timeline() const { return timeline_; }
    QTableWidget* valueTable() const { return values_; }
    QLabel* valueStatus() const { return valueStatus_; }
    // Reads completed and shown (tests wait on it).
    int valuesShown() const { return valuesShown_; }

    // The connected LockScope clients behind the shown lock's "<uuid>:<thread>" holders, tag →
    // connection name, as the last read of its value found them (empty until then).
    const std::unordered_map<std::string, std::string>& holderClients() const {
        return holderClients_;
    }
    // CLIENT LIST was read with the value: a LockScope holder missing from holderClients() is
    // not connected (false: not known).
    bool holderClientsKnown() const { return holderClientsKnown_; }
    // A plain semaphore's recorded permit tokens, as the last read of its value found them.
    const std::vector<locks::RecordedPermit>& recordedPermits() const { return recordedPermits_; }

private:
    void renderSummary(const monitor::KeyRecord& record);

public:
    // A holder's "since" as shown: an epoch time in seconds as a local date and time, anything
    // else as written.
    static QString sinceText(const std::string& since);

private:
    // "host h, pid 42 (connection …)" for the holders whose uuid is a connected LockScope
    // client's; "" when none is known.
    QString uuidHolderProcesses(const std::string& holder) const;
    void refreshTimeline();
    void requestValue();
    void showValue(const FetchedPtr& value);

    HolderHistory* history_ = nullptr;
    MonitorBridge* bridge_ = nullptr;
    ValueFetcher* fetcher_;
    QTextBrowser* summary_;
    QLabel* timelineTitle_;
    HolderTimeline* timeline_;
    QLabel* valueStatus_;
    QTableWidget* values_;
    QSplitter* splitter_;
    std::string key_;
    std::optional<monitor::KeyRecord> record_;  // the one shown
    std::unordered_map<std::string, std::string> holderClients_;
    bool holderClientsKnown_ = false;
    size_t fairWaiting_ = 0;  // a fair lock's queue, as the last read of its value found it
    std::vector<locks::RecordedPermit> recordedPermits_;
    bool fetchInFlight_ = false;
    bool refetch_ = false;  // the holder moved while a read was in flight: read once more
    int valuesShown_ = 0;
};

}  // namespace lockscope::ui
