#include "ui/state_dump.h"

#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QSocketNotifier>
#include <QTimer>
#include <algorithm>
#include <chrono>

#include "ui/counters/counter_table_model.h"
#include "ui/locks/lock_table_model.h"
#include "ui/main_window.h"
#include "ui/monitor_bridge.h"
#include "util/text.h"

namespace lockscope::ui {
namespace {

QString bytes(const std::string& b) {
    return QString::fromStdString(isPlainText(b) ? b : displayBytes(b));
}

int dumpPipe[2] = {-1, -1};

constexpr const char* kName = "lockscopeStateDumpLateness";

// Counts ticks of a 10 ms timer that came more than 50 ms late: the GUI loop was held.
class LatenessCounter : public QObject {
public:
    explicit LatenessCounter(QObject* parent) : QObject(parent) {
        setObjectName(kName);
        timer_.setTimerType(Qt::PreciseTimer);
        timer_.setInterval(10);
        QObject::connect(&timer_, &QTimer::timeout, this, [this] {
            const auto now = std::chrono::steady_clock::now();
            const double late =
                std::chrono::duration<double, std::milli>(now - last_).count() - 10.0;
            last_ = now;
            if (late > 50.0) ++stalls_;
            worst_ = std::max(worst_, late);
        });
        last_ = std::chrono::steady_clock::now();
        timer_.start();
    }
    long long stalls() const { return stalls_; }
    double worst() const { return worst_; }

private:
    QTimer timer_;
    std::chrono::steady_clock::time_point last_;
    long long stalls_ = 0;
    double worst_ = 0;
};

void writeState(const MainWindow& w, const QString& path, const LatenessCounter* lateness) {
    QJsonObject state = windowState(w);
    if (lateness) {
        state["stalls_over_50ms"] = static_cast<double>(lateness->stalls());
        state["worst_stall_ms"] = lateness->worst();
    }
    QSaveFile f(path);  // whole or not at all: the soak may read it at any time
    if (!f.open(QIODevice::WriteOnly)) return;
    f.write(QJsonDocument(state).toJson(QJsonDocument::Compact));
    f.write("\n");
    f.commit();
}

}  // namespace

QJsonObject windowState(const MainWindow& w) {
    QJsonArray locks;
    const LockTableModel* lm = w.lockModel();
    for (int row = 0; row < lm->rowCount(); ++row) {
        const monitor::KeyRecord* r = lm->recordAt(row);
        if (!r) continue;
        QJsonObject o;
        o["key"] = bytes(r->key);
        o["holder"] = bytes(r->holder);
        o["format"] =
            QString::fromUtf8(monitor::formatName(r->format).data(),
                              static_cast<qsizetype>(monitor::formatName(r->format).size()));
        o["state"] =
            QString::fromUtf8(monitor::lockStateName(r->state).data(),
                              static_cast<qsizetype>(monitor::lockStateName(r->state).size()));
        o["stale"] = r->isStale();
        locks.append(o);
    }
    QJsonArray counters;
    const CounterTableModel* cm = w.counterModel();
    for (int row = 0; row < cm->rowCount(); ++row) {
        const monitor::KeyRecord* r = cm->recordAt(row);
        if (!r) continue;
        QJsonObject o;
        o["key"] = bytes(r->key);
        o["value"] = static_cast<double>(r->number);
        counters.append(o);
    }
    const monitor::MonitorStatus& s = w.bridge()->lastStatus();
    long long reconnects = 0;
    for (const auto& n : s.nodes) reconnects += n.reconnects;
    QJsonObject out;
    out["locks"] = locks;
    out["counters"] = counters;
    out["events_received"] = static_cast<double>(s.eventsReceived);
    out["reconnects"] = static_cast<double>(reconnects);
    out["inventory_complete"] = s.inventoryComplete;
    return out;
}

void installStateDump(MainWindow* window, const QString& path) {
    auto* lateness = new LatenessCounter(window);
    if (dumpPipe[0] < 0) {
        ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, dumpPipe);
        struct sigaction sa {};
        sa.sa_handler = [](int) {
            char c = 1;
            (void)::write(dumpPipe[0], &c, 1);  // async-signal-safe; the loop does the rest
        };
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_RESTART;
        sigaction(SIGUSR1, &sa, nullptr);
    }
    auto* notifier = new QSocketNotifier(dumpPipe[1], QSocketNotifier::Read, window);
    QObject::connect(notifier, &QSocketNotifier::activated, window, [window, path, lateness] {
        char c;
        (void)::read(dumpPipe[1], &c, 1);
        writeState(*window, path, lateness);
    });
}

void dumpWindowState(const MainWindow& window, const QString& path) {
    writeState(window, path,
               static_cast<const LatenessCounter*>(window.findChild<QObject*>(kName)));
}

}  // namespace lockscope::ui
