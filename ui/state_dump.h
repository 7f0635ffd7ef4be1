// The dashboard's tables and health as JSON, for the chaos soak (bench/chaos_soak.sh) to compare
// with a fresh `lockscope-cli locks --json`: every lock (key, holder, format, state) and counter
// (key, value) the window's models hold, the monitor's event and reconnect counts, and how often
// the GUI loop ran more than 50 ms late. Keys and holders are written the way the CLI writes them
// (util/text.h's displayBytes when not plain text), so the two sides compare as strings.
//
// Installed by app/dashboard/main.cpp only when LOCKSCOPE_STATE_DUMP names a file: the file is
// (re)written on SIGUSR1 and when the dashboard quits.
//
// Thread contract: GUI thread only.
#pragma once

#include <QJsonObject>
#include <QString>

namespace lockscope::ui {

class MainWindow;

QJsonObject windowState(const MainWindow& window);

// Writes windowState() to `path` on SIGUSR1; also starts the GUI loop lateness count (a 10 ms
// timer) reported as "stalls_over_50ms" / "worst_stall_ms".
void installStateDump(MainWindow* window, const QString& path);
// Writes it now (main.cpp: when the event loop has ended, before the window goes).
void dumpWindowState(const MainWindow& window, const QString& path);

}  // namespace lockscope::ui
