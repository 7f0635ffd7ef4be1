// Who held each lock when: spans of holders per key, built from the monitor updates the dashboard
// receives over time (the engine keeps no history of holders; KeyRecord is kept small on purpose).
//
// Bounded twice, so following a server with a million locks costs little: at most `maxKeys` keys
// (the key changed least recently is forgotten first, never the pinned one), and per key at most
// `spansPerKey` spans — the pinned key, the one the user is looking at, keeps `spansPinned`.
// Holders longer than `maxHolderBytes` are cut (Redisson read-lock holders list every reader).
//
// Thread contract: GUI thread only.
#pragma once

#include <QObject>
#include <deque>
#include <list>
#include <string>
#include <unordered_map>
#include <vector>

#include "monitor/monitor.h"

namespace lockscope::ui {

class MonitorBridge;

struct HolderSpan {
    std::string holder;
    qint64 startMs = 0;  // wall clock, ms since the epoch
    qint64 endMs = -1;   // -1: still held
    // An integer lock (seed 001's heartbeat: SETNX key 1, then INCR every beat): its last value.
    // A value that went up is a beat of the same holder, not a new one; -1 for other holders.
    long long beat = -1;
    // What the holder is (its format) and how many holders it names: several joined with ','
    // (a read-write lock's readers, an expirable semaphore's permits) are counted before `holder`
    // is cut to maxHolderBytes.
    monitor::Format format = monitor::Format::Unknown;
    int holders = 1;
};

struct HolderHistoryOptions {
    size_t maxKeys = 2000;        // keys remembered at all
    size_t spansPerKey = 8;       // spans kept per key nobody is looking at
    size_t spansPinned = 200;     // spans kept for the pinned key
    size_t maxHolderBytes = 256;  // longer holders are cut (they only label the chart)
};

class HolderHistory : public QObject {
    Q_OBJECT
public:
    explicit HolderHistory(HolderHistoryOptions options = {}, QObject* parent = nullptr);

    // Follows `bridge`: every update is applied, a restart of the bridge clears the history.
    void attach(MonitorBridge* bridge);
    // Applies one update seen at (wallNowMs, steadyNow): a new holder closes the previous span and
    // opens one; a lock found free or removed closes its span. Readers joining or leaving a
    // read-write lock while one of them stays are the same shared hold: one span, labelled with
    // the readers now.
    void apply(const monitor::MonitorUpdate& update, qint64 wallNowMs,
               monitor::Steady::time_point steadyNow);
    void apply(const monitor::MonitorUpdate& update);

    // The key the user is looking at keeps a longer history and is never evicted; "" for none.
    void pin(const std::string& key);
    const std::string& pinned() const { return pinned_; }
    // Oldest first.
    std::vector<HolderSpan> spans(const std::string& key) const;
    size_t keyCount() const { return entries_.size(); }
    size_t spanCount() const;
    const HolderHistoryOptions& options() const { return options_; }
    void clear();

signals:
    // The pinned key's spans changed (emitted at most once per update).
    void pinnedChanged();

private:
    struct Entry {
        std::deque<HolderSpan> spans;
        std::list<const std::string*>::iterator lru;  // position in lru_, most recent at the back
    };
    Entry& touch(const std::string& key);
    void trim(const std::string& key, Entry& e);
    void evict();

    HolderHistoryOptions options_;
    // Node-based map: key addresses stay valid, so lru_ can point at them.
    std::unordered_map<std::string, Entry> entries_;
    std::list<const std::string*> lru_;
    std::string pinned_;
};

}  // namespace lockscope::ui
