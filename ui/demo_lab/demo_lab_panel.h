// The dashboard's Demo Lab: teaching demos, one click each. Settings (DemoSetupForm), Run and
// Stop, live charts of every strategy's progress and throughput (and a lock demo's violations),
// the fault events as they happen, a verdict table, and why each strategy behaved as it did — in
// the engines' own words, and for lock demos the fault table's expected outcome beside it.
//
// Demos run in a DemoRunner (its own long-lived thread); this panel only shows. It works on its
// own: by default every demo runs on a sandbox it starts for the run. The window may offer the
// server it follows with setConnectedTarget().
//
// Thread contract: GUI thread only.
#pragma once

#include <QWidget>
#include <string>
#include <utility>
#include <vector>

#include "ui/common/palette_colours.h"
#include "ui/demo_lab/demo_runner.h"

class QLabel;
class QPushButton;
class QTableView;
class QTextBrowser;
class QToolButton;
class QTreeWidget;

namespace lockscope::ui {

class DemoCharts;
class DemoSetupForm;
class LessonCharts;
class DemoVerdictModel;

class DemoLabPanel : public QWidget {
    Q_OBJECT
public:
    explicit DemoLabPanel(QWidget* parent = nullptr);
    ~DemoLabPanel() override;  // stops a running demo and everything it started

    // The servers the window follows (one, or a Redlock group), offered as "Run on"; empty
    // withdraws the offer. `description` is what the user knows it by ("127.0.0.1:6379").
    void setConnectedTarget(std::vector<redis::Endpoint> nodes, QString description);
    // The lockscope-cli that runs lock-demo workers; "" (default): next to this program.
    void setWorkerExecutable(std::string path);

    // For tests and the window.
    DemoRunner* runner() const { return runner_; }
    DemoSetupForm* form() const { return form_; }
    QPushButton* runButton() const { return run_; }
    QPushButton* stopButton() const { return stop_; }
    DemoVerdictModel* verdictModel() const { return verdicts_; }
    QTableView* verdictView() const { return verdictView_; }
    DemoCharts* charts() const { return charts_; }
    LessonCharts* lessonCharts() const { return lessonCharts_; }
    QTreeWidget* eventList() const { return events_; }
    QTextBrowser* explanationView() const { return explanation_; }
    QLabel* statusLabel() const { return status_; }
    QLabel* hintLabel() const { return hint_; }
    // The engines' explanation for a strategy label of the last run ("" when none).
    QString explanationFor(const QString& label) const;

private:
    void runClicked();
    void updateControls();
    void onStarted(const DemoRequest& request);
    void onProgress(const demo::DemoProgress& p);
    void onCounterFinished(const demo::CounterDemoReport& report);
    void onLockFinished(const demo::LockDemoResult& result);
    void onFailed(const QString& message);
    void onEnded(const DemoRunEnd& end);
    void addEvent(const demo::DemoEvent& e);
    void showExplanations();
    void fitColumns();
    void setStatus(const QString& text, Tone tone);

    DemoRunner* runner_;
    DemoSetupForm* form_;
    QPushButton* run_;
    QPushButton* stop_;
    QToolButton* clear_;
    QLabel* hint_;
    QLabel* status_;
    DemoCharts* charts_;
    LessonCharts* lessonCharts_;  // contention / readers-writers results
    QTreeWidget* events_;
    DemoVerdictModel* verdicts_;
    QTableView* verdictView_;
    QTextBrowser* explanation_;
    // label → the "why" (HTML-free), in run order.
    std::vector<std::pair<QString, QString>> why_;
    QString failure_;  // the last run's error, kept for the end-of-run status
    DemoRequest::Kind runningKind_ = DemoRequest::Kind::Counter;
};

}  // namespace lockscope::ui
