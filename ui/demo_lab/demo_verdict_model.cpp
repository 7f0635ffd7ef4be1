#include "ui/demo_lab/demo_verdict_model.h"

#include <QGuiApplication>
#include <QPalette>

#include "ui/common/core_text.h"
#include "ui/common/palette_colours.h"

namespace lockscope::ui {
namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

QString number(double v, int decimals = 0) { return QLocale().toString(v, 'f', decimals); }
QString number(long long v) { return QLocale().toString(v); }

// Table text sits on the Base colour, not on the window's.
QColor tone(Tone t) { return toneColour(t, QGuiApplication::palette(), QPalette::Base); }

constexpr Qt::Alignment kNumber = Qt::AlignRight | Qt::AlignVCenter;

}  // namespace

DemoVerdictModel::DemoVerdictModel(QObject* parent) : QAbstractTableModel(parent) {}

QString DemoVerdictModel::counterVerdict(const demo::CounterDemoResult& r) {
    if (r.overCap > 0) return tr("over cap by %1").arg(number(r.overCap));
    if (r.lostUpdates > 0) return tr("lost %1").arg(number(r.lostUpdates));
    if (!r.exact) return tr("off by %1").arg(number(r.actual - r.expected));
    return tr("exact");
}

QString DemoVerdictModel::lockVerdict(const demo::LockDemoResult& r) {
    if (r.interrupted) return tr("no: stopped before the end");
    if (r.asExpected) return tr("yes");
    return r.mismatch.empty() ? tr("no") : tr("no: %1").arg(mismatchText(r));
}

void DemoVerdictModel::setCounterResults(const std::vector<demo::CounterDemoResult>& results) {
    beginResetModel();
    kind_ = Kind::Counter;
    counters_ = results;
    locks_.clear();
    endResetModel();
}

void DemoVerdictModel::addLockResult(const demo::LockDemoResult& result) {
    if (kind_ != Kind::Lock) {
        beginResetModel();
        kind_ = Kind::Lock;
        counters_.clear();
        locks_ = {result};
        endResetModel();
        return;
    }
    const int row = int(locks_.size());
    beginInsertRows({}, row, row);
    locks_.push_back(result);
    endInsertRows();
}

void DemoVerdictModel::clear() {
    beginResetModel();
    counters_.clear();
    locks_.clear();
    endResetModel();
}

int DemoVerdictModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid()) return 0;
    return int(kind_ == Kind::Counter ? counters_.size() : locks_.size());
}

int DemoVerdictModel::columnCount(const QModelIndex& parent) const {
    if (parent.isValid()) return 0;
    return kind_ == Kind::Counter ? int(CounterColumnCount) : int(LockColumnCount);
}

QVariant DemoVerdictModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto row = size_t(index.row());
    return kind_ == Kind::Counter ? counterData(counters_[row], index.column(), role)
                                  : lockData(locks_[row], index.column(), role);
}

QVariant DemoVerdictModel::counterData(const demo::CounterDemoResult& r, int column,
                                       int role) const {
    if (role == Qt::TextAlignmentRole)
        return column == CStrategy || column == CVerdict ? QVariant() : QVariant(kNumber);
    if (role == Qt::ToolTipRole) return explanation(r);
    if (role == Qt::ForegroundRole) {
        if (column == CVerdict) return tone(r.exact ? Tone::Good : Tone::Bad);
        if ((column == CLost && r.lostUpdates > 0) || (column == COverCap && r.overCap > 0))
            return tone(Tone::Bad);
        return {};
    }
    if (role != Qt::DisplayRole && role != RawRole) return {};
    const bool raw = role == RawRole;
    auto n = [raw](long long v) { return raw ? QVariant(v) : QVariant(number(v)); };
    auto d = [raw](double v, int decimals) {
        return raw ? QVariant(v) : QVariant(number(v, decimals));
    };
    switch (column) {
        case CStrategy:
            return q(r.label);
        case CExpected:
            return n(r.expected);
        case CActual:
            return n(r.actual);
        case CLost:
            return n(r.lostUpdates);
        case COverCap:
            // Only capped has a cap; an empty cell reads better than a 0 that means nothing.
            if (r.strategy != "capped") return raw ? QVariant() : QVariant(QString());
            return n(r.overCap);
        case CRetries:
            return n(r.retries);
        case COpsPerSecond:
            return d(r.opsPerSecond, 0);
        case CP50:
            return d(r.p50Micros, 0);
        case CP99:
            return d(r.p99Micros, 0);
        case CVerdict:
            return counterVerdict(r);
    }
    return {};
}

QVariant DemoVerdictModel::lockData(const demo::LockDemoResult& r, int column, int role) const {
    if (role == Qt::TextAlignmentRole) {
        const bool text = column == LStrategy || column == LFault || column == LExpectedOutcome ||
                          column == LAsExpected;
        return text ? QVariant() : QVariant(kNumber);
    }
    if (role == Qt::ToolTipRole) {
        if (column == LExpectedOutcome) return expectedOutcome(r);
        if (column == LAsExpected && !r.mismatch.empty()) return mismatchText(r);
        return explanation(r);
    }
    if (role == Qt::ForegroundRole) {
        if (column == LAsExpected)
            return tone(r.asExpected && !r.interrupted ? Tone::Good : Tone::Warning);
        if ((column == LViolations && r.violations > 0) || (column == LLost && r.lostUpdates > 0))
            return tone(Tone::Bad);
        if (column == LStaleRejected && r.staleWritesRejected > 0) return tone(Tone::Good);
        return {};
    }
    if (role != Qt::DisplayRole && role != RawRole) return {};
    const bool raw = role == RawRole;
    auto n = [raw](long long v) { return raw ? QVariant(v) : QVariant(number(v)); };
    switch (column) {
        case LStrategy:
            return q(r.strategy);
        case LFault:
            return q(r.fault);
        case LAcquisitions:
            return n(r.acquisitions);
        case LViolations:
            return n(r.violations);
        case LStaleRejected:
            return n(r.staleWritesRejected);
        case LLost:
            return n(r.lostUpdates);
        case LOpsPerSecond:
            return raw ? QVariant(r.opsPerSecond) : QVariant(number(r.opsPerSecond, 1));
        case LExpectedOutcome:
            return expectedOutcome(r);
        case LAsExpected:
            return lockVerdict(r);
    }
    return {};
}

QVariant DemoVerdictModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= columnCount()) return {};
    if (role == Qt::TextAlignmentRole) return QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) return {};
    const bool tip = role == Qt::ToolTipRole;
    if (kind_ == Kind::Counter) {
        switch (section) {
            case CStrategy:
                return tr("Strategy");
            case CExpected:
                return tip ? tr("Increments Redis acknowledged (capped: the votes the cap allows)")
                           : tr("Expected");
            case CActual:
                return tip ? tr("What the counter holds at the end") : tr("Actual");
            case CLost:
                return tip ? tr("Expected − actual, when positive") : tr("Lost updates");
            case COverCap:
                return tip ? tr("capped: votes past the cap") : tr("Over cap");
            case CRetries:
                return tip ? tr("watch: aborted EXECs; versioned: conflicts; locked: busy lock")
                           : tr("Retries");
            case COpsPerSecond:
                return tr("Ops/s");
            case CP50:
                return tip ? tr("Median latency of one increment") : tr("p50 µs");
            case CP99:
                return tip ? tr("99th percentile latency of one increment") : tr("p99 µs");
            case CVerdict:
                return tr("Verdict");
        }
        return {};
    }
    switch (section) {
        case LStrategy:
            return tr("Strategy");
        case LFault:
            return tr("Fault");
        case LAcquisitions:
            return tip ? tr("Critical sections entered") : tr("Acquisitions");
        case LViolations:
            return tip ? tr("Entries while another holder was still inside") : tr("Violations");
        case LStaleRejected:
            return tip ? tr("Fenced writes with an outdated token, refused by the resource")
                       : tr("Stale writes rejected");
        case LLost:
            return tip ? tr("Accepted writes − the resource's final value") : tr("Lost updates");
        case LOpsPerSecond:
            return tip ? tr("Acquisitions per second") : tr("Ops/s");
        case LExpectedOutcome:
            return tip ? tr("What the fault table says this fault does to this strategy")
                       : tr("Expected outcome");
        case LAsExpected:
            return tr("As expected");
    }
    return {};
}

}  // namespace lockscope::ui
