#include "ui/demo_lab/demo_lab_panel.h"

#include <QCoreApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <algorithm>

#include "ui/common/core_text.h"
#include "ui/demo_lab/demo_charts.h"
#include "ui/demo_lab/demo_setup_form.h"
#include "ui/demo_lab/demo_verdict_model.h"
#include "ui/demo_lab/lesson_charts.h"

namespace lockscope::ui {
namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

constexpr int kMaxColumnWidth = 280;  // px

QString seconds(double s) { return QLocale().toString(s, 'f', 1); }

QString eventTime(std::chrono::milliseconds at) {
    return QCoreApplication::translate("lockscope::ui::DemoLabPanel", "+%1 s")
        .arg(QLocale().toString(double(at.count()) / 1000.0, 'f', 3));
}

QString pidList(const QList<qint64>& pids) {
    QStringList out;
    for (qint64 p : pids) out << QString::number(p);
    return out.join(QStringLiteral(", "));
}

}  // namespace

DemoLabPanel::DemoLabPanel(QWidget* parent) : QWidget(parent) {
    runner_ = new DemoRunner(this);
    form_ = new DemoSetupForm(this);

    run_ = new QPushButton(tr("Run"), this);
    run_->setObjectName("runDemo");
    run_->setDefault(true);
    stop_ = new QPushButton(tr("Stop"), this);
    stop_->setObjectName("stopDemo");
    stop_->setToolTip(
        tr("Stop the demo: workers stop after their current operation, paused ones "
           "are resumed first, and everything the demo started is stopped"));
    clear_ = new QToolButton(this);
    clear_->setObjectName("clearDemoResults");
    clear_->setText(tr("Clear results"));
    clear_->setToolTip(tr("Empty the verdict table (lock runs are kept side by side until then)"));
    hint_ = new QLabel(this);
    hint_->setObjectName("runHint");
    hint_->setWordWrap(true);
    hint_->setTextFormat(Qt::PlainText);

    status_ = new QLabel(tr("Choose a demo and press Run."), this);
    status_->setObjectName("demoStatus");
    status_->setWordWrap(true);
    status_->setTextFormat(Qt::PlainText);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Two lines kept for it: the running text wraps to a second line, and the panel above it
    // (with Run and Stop) shrank by that line while a run went, moving the buttons.
    status_->setMinimumHeight(2 * status_->fontMetrics().lineSpacing() + 2);
    status_->setAlignment(Qt::AlignLeft | Qt::AlignTop);

    charts_ = new DemoCharts(this);
    lessonCharts_ = new LessonCharts(this);

    events_ = new QTreeWidget(this);
    events_->setObjectName("demoEvents");
    events_->setHeaderLabels({tr("Time"), tr("What happened")});
    events_->setRootIsDecorated(false);
    // Whole lines, scrolled sideways when long (the tooltip has them too): an elided event loses
    // exactly the part that says what happened.
    events_->setTextElideMode(Qt::ElideNone);
    events_->header()->setStretchLastSection(false);
    events_->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    events_->setToolTip(
        tr("The faults the demo injected and what followed, since its workers started"));

    verdicts_ = new DemoVerdictModel(this);
    verdictView_ = new QTableView(this);
    verdictView_->setObjectName("demoVerdicts");
    verdictView_->setModel(verdicts_);
    verdictView_->setSelectionBehavior(QAbstractItemView::SelectRows);
    verdictView_->setWordWrap(false);
    verdictView_->verticalHeader()->hide();
    verdictView_->horizontalHeader()->setStretchLastSection(true);

    explanation_ = new QTextBrowser(this);
    explanation_->setObjectName("demoExplanation");
    explanation_->setPlaceholderText(
        tr("Why each strategy behaved as it did appears here after a run."));

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(run_);
    buttons->addWidget(stop_);
    buttons->addStretch(1);
    buttons->addWidget(clear_);
    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(form_, 1);
    leftLayout->addLayout(buttons);
    leftLayout->addWidget(hint_);

    auto* bottom = new QSplitter(Qt::Horizontal, this);
    bottom->addWidget(events_);
    bottom->addWidget(explanation_);
    bottom->setStretchFactor(0, 1);
    bottom->setStretchFactor(1, 1);
    auto* right = new QSplitter(Qt::Vertical, this);
    right->addWidget(charts_);
    right->addWidget(lessonCharts_);
    right->addWidget(verdictView_);
    right->addWidget(bottom);
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 3);
    right->setStretchFactor(2, 2);
    right->setStretchFactor(3, 2);
    auto* main = new QSplitter(Qt::Horizontal, this);
    main->addWidget(left);
    main->addWidget(right);
    main->setStretchFactor(1, 1);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(main, 1);
    layout->addWidget(status_);

    connect(run_, &QPushButton::clicked, this, &DemoLabPanel::runClicked);
    connect(stop_, &QPushButton::clicked, this, [this] {
        runner_->stop();
        setStatus(tr("stopping: waiting for the workers to finish their current operation…"),
                  Tone::Warning);
        updateControls();
    });
    connect(clear_, &QToolButton::clicked, this, [this] {
        verdicts_->clear();
        showExplanations();
    });
    connect(form_, &DemoSetupForm::changed, this, &DemoLabPanel::updateControls);
    connect(runner_, &DemoRunner::started, this, &DemoLabPanel::onStarted);
    connect(runner_, &DemoRunner::stage, this, [this](const QString& text) {
        if (!runner_->stopRequested()) setStatus(text, Tone::Neutral);
    });
    connect(runner_, &DemoRunner::progress, this, &DemoLabPanel::onProgress);
    connect(runner_, &DemoRunner::counterFinished, this, &DemoLabPanel::onCounterFinished);
    connect(runner_, &DemoRunner::lockFinished, this, &DemoLabPanel::onLockFinished);
    connect(runner_, &DemoRunner::failed, this, &DemoLabPanel::onFailed);
    connect(runner_, &DemoRunner::ended, this, &DemoLabPanel::onEnded);
    updateControls();
}

DemoLabPanel::~DemoLabPanel() {
    // The runner is a child: ~QObject would delete it after this panel's widgets, while its
    // queued signals may still name them. Stop it first.
    delete runner_;
}

void DemoLabPanel::setConnectedTarget(std::vector<redis::Endpoint> nodes, QString description) {
    const bool available = !nodes.empty();
    form_->setConnectedTarget(available, description);
    runner_->setConnectedTarget(std::move(nodes), std::move(description));
    updateControls();
}

void DemoLabPanel::setWorkerExecutable(std::string path) {
    runner_->setWorkerExecutable(std::move(path));
}

QString DemoLabPanel::explanationFor(const QString& label) const {
    for (auto it = why_.rbegin(); it != why_.rend(); ++it)
        if (it->first == label) return it->second;
    return {};
}

void DemoLabPanel::setStatus(const QString& text, Tone tone) {
    status_->setText(text);
    QPalette p = status_->palette();
    p.setColor(QPalette::WindowText, tone == Tone::Neutral ? palette().color(QPalette::WindowText)
                                                           : toneColour(tone, palette()));
    status_->setPalette(p);
}

void DemoLabPanel::updateControls() {
    const bool running = runner_->running();
    const QString nothing = form_->selectionProblem();
    run_->setEnabled(!running && nothing.isEmpty());
    stop_->setEnabled(running && !runner_->stopRequested());
    clear_->setEnabled(!running);
    form_->setEditable(!running);
    if (running) {
        run_->setToolTip(tr("A demo is running: stop it, or wait for it to finish"));
        hint_->clear();
        return;
    }
    // Something selected but not runnable here: say why now; Run still answers with it.
    const QString problem = nothing.isEmpty() ? runner_->check(form_->request()) : nothing;
    run_->setToolTip(problem.isEmpty() ? tr("Run the demo") : problem);
    hint_->setText(problem);
}

void DemoLabPanel::runClicked() {
    QString error;
    if (!runner_->start(form_->request(), &error)) {
        setStatus(tr("not started: %1").arg(error), Tone::Warning);
        hint_->setText(error);
    }
}

void DemoLabPanel::onStarted(const DemoRequest& request) {
    runningKind_ = request.kind;
    failure_.clear();
    charts_->reset(request.labels(), request.kind == DemoRequest::Kind::Lock);
    lessonCharts_->clear();
    events_->clear();
    setStatus(tr("starting…"), Tone::Neutral);
    updateControls();
}

void DemoLabPanel::onProgress(const demo::DemoProgress& p) {
    charts_->add(p);
    if (p.event) addEvent(*p.event);
    if (runner_->stopRequested() || p.finished) return;
    const int percent = p.total > 0 ? int(100 * p.done / p.total) : 0;
    QString text = p.strategyCount > 1 ? tr("running %1 (%2/%3), %4%…")
                                             .arg(q(p.strategy))
                                             .arg(p.strategyIndex + 1)
                                             .arg(p.strategyCount)
                                             .arg(percent)
                                       : tr("running %1, %2%…").arg(q(p.strategy)).arg(percent);
    if (p.kind == "lock") text += tr("  violations so far: %1").arg(p.violations);
    setStatus(text, Tone::Neutral);
}

void DemoLabPanel::addEvent(const demo::DemoEvent& e) {
    const QString text = eventText(e);
    auto* item = new QTreeWidgetItem(events_, {eventTime(e.at), text});
    item->setToolTip(1, text);
    events_->scrollToItem(item);
}

void DemoLabPanel::fitColumns() {
    verdictView_->resizeColumnsToContents();
    // Outcomes are sentences: keep every column in view; the tooltip has the whole text.
    for (int c = 0; c < verdicts_->columnCount(); ++c)
        verdictView_->setColumnWidth(c, std::min(verdictView_->columnWidth(c), kMaxColumnWidth));
}

void DemoLabPanel::onCounterFinished(const demo::CounterDemoReport& report) {
    verdicts_->setCounterResults(report.results);
    fitColumns();
    showExplanations();
}

void DemoLabPanel::onLockFinished(const demo::LockDemoResult& result) {
    // The run's own record is complete; the live list may have missed nothing, but make sure.
    if (events_->topLevelItemCount() < int(result.events.size())) {
        events_->clear();
        for (const auto& e : result.events) addEvent(e);
    }
    // A stopped run proves nothing either way: it gets no verdict row.
    if (!result.interrupted) {
        lessonCharts_->addResult(result);
        verdicts_->addLockResult(result);
        fitColumns();
    }
    showExplanations();
}

void DemoLabPanel::showExplanations() {
    why_.clear();
    QString html;
    if (verdicts_->kind() == DemoVerdictModel::Kind::Counter) {
        for (const auto& r : verdicts_->counterResults()) {
            why_.emplace_back(q(r.label), explanation(r));
            //: A counter strategy's verdict and why: "naive — lost 12: GET and SET are two ...".
            html += tr("<p><b>%1</b> — %2: %3</p>")
                        .arg(q(r.label).toHtmlEscaped(),
                             DemoVerdictModel::counterVerdict(r).toHtmlEscaped(),
                             explanation(r).toHtmlEscaped());
        }
    } else {
        for (const auto& r : verdicts_->lockResults()) {
            // As documented, the engine's explanation is the fault table's outcome: say it once.
            const bool same = r.explanation == r.expectedOutcome;
            const QString expected = expectedOutcome(r);
            const QString happened = explanation(r);
            QString text = same ? tr("Expected, and what happened: %1").arg(happened)
                                : tr("Expected: %1\nWhat happened: %2").arg(expected, happened);
            why_.emplace_back(q(r.strategy), text);
            QString body =
                same ? QStringLiteral("<i>%1</i> %2")
                           .arg(tr("Expected, and what happened:"), happened.toHtmlEscaped())
                     : QStringLiteral("<i>%1</i> %2<br/><i>%3</i> %4")
                           .arg(tr("Expected:"), expected.toHtmlEscaped(), tr("What happened:"),
                                happened.toHtmlEscaped());
            html += QStringLiteral("<p><b>%1 / %2</b> — %3<br/>%4</p>")
                        .arg(q(r.strategy).toHtmlEscaped(), q(r.fault).toHtmlEscaped(),
                             DemoVerdictModel::lockVerdict(r).toHtmlEscaped(), body);
        }
    }
    explanation_->setHtml(html);
}

void DemoLabPanel::onFailed(const QString& message) {
    failure_ = message;
    setStatus(tr("failed: %1").arg(message), Tone::Bad);
}

void DemoLabPanel::onEnded(const DemoRunEnd& end) {
    charts_->flush();
    const QString left = end.leftovers.isEmpty()
                             ? QString()
                             : tr("; %n process(es) it started still running (pid %1)", nullptr,
                                  int(end.leftovers.size()))
                                   .arg(pidList(end.leftovers));
    if (end.failed)
        setStatus(tr("failed: %1%2").arg(failure_, left), Tone::Bad);
    else if (end.stopped)
        setStatus(end.leftovers.isEmpty() ? tr("stopped: nothing left running")
                                          : tr("stopped%1").arg(left),
                  end.leftovers.isEmpty() ? Tone::Neutral : Tone::Bad);
    else
        setStatus(tr("finished in %1 s%2").arg(seconds(end.seconds), left),
                  end.leftovers.isEmpty() ? Tone::Good : Tone::Bad);
    updateControls();
}

}  // namespace lockscope::ui
