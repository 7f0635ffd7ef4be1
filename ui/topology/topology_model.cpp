#include "ui/topology/topology_model.h"

#include <QBrush>
#include <QGuiApplication>
#include <algorithm>

#include "ui/common/core_text.h"
#include "ui/common/display_text.h"
#include "ui/common/palette_colours.h"
#include "util/text.h"

namespace lockscope::ui {
namespace {

// ROLE's replication link states (Redis's words), in the window's language; others as they are.
QString linkStatusText(const std::string& state) {
    if (state == "connected") return TopologyModel::tr("connected");
    if (state == "connecting") return TopologyModel::tr("connecting");
    if (state == "connect") return TopologyModel::tr("to connect");
    if (state == "sync") return TopologyModel::tr("syncing");
    if (state == "handshake") return TopologyModel::tr("handshake");
    return QString::fromStdString(state);
}

using sandbox::NodeRole;
using sandbox::NodeState;

// Text that should be UTF-8 (addresses, error messages); keys go through displayText().
QString q(const std::string& s) {
    return QString::fromStdString(isValidUtf8(s) ? s : displayBytes(s));
}

bool sameRows(const TopologyView& a, const TopologyView& b) {
    if (a.generation != b.generation || a.snapshot.nodes.size() != b.snapshot.nodes.size())
        return false;
    for (size_t i = 0; i < a.snapshot.nodes.size(); ++i)
        if (a.snapshot.nodes[i].address != b.snapshot.nodes[i].address) return false;
    return true;
}

}  // namespace

TopologyModel::TopologyModel(QObject* parent) : QAbstractTableModel(parent) {}

QColor TopologyModel::roleColour(NodeRole role) {
    switch (role) {
        case NodeRole::Master:
            return QColor(0x15, 0x65, 0xc0);  // blue
        case NodeRole::Replica:
            return QColor(0x00, 0x83, 0x8f);  // teal
        case NodeRole::Sentinel:
            return QColor(0x6a, 0x1b, 0x9a);  // purple
        case NodeRole::Standalone:
            return QColor(0x45, 0x5a, 0x64);  // slate
    }
    return {};
}

QColor TopologyModel::stateColour(NodeState state, bool reachable, const QPalette& palette) {
    Tone tone = Tone::Good;
    if (state == NodeState::Paused)
        tone = Tone::Warning;
    else if (state == NodeState::Stopped)
        tone = Tone::Neutral;
    else if (!reachable)
        tone = Tone::Bad;
    return toneColour(tone, palette, QPalette::Base);
}

QString TopologyModel::holdsText(const NodeKeys& k) {
    if (!k.listed) return k.error.empty() ? QString() : tr("?");
    if (k.lockLike.empty()) return k.keys.empty() ? tr("nothing") : tr("no locks");
    QStringList shown;
    for (size_t i = 0; i < k.lockLike.size() && i < size_t(kHoldsShown); ++i)
        shown << displayText(k.lockLike[i]);
    QString text = shown.join(", ");
    const auto more = k.lockLike.size() - size_t(shown.size());
    if (more > 0) text += tr(" +%1 more").arg(more);
    if (!k.complete) text += QStringLiteral(" …");  // the listing stopped before the end
    return text;
}

QString TopologyModel::keysTooltip(const sandbox::NodeView& n, const NodeKeys& k) {
    if (!k.listed)
        return k.error.empty()
                   ? QString()
                   : tr("Keys of %1 could not be listed: %2").arg(q(n.address), q(k.error));
    if (k.keys.empty()) return tr("%1 holds no keys.").arg(q(n.address));
    QString tip = k.complete ? tr("%1 holds %2 keys:").arg(q(n.address)).arg(k.keys.size())
                             : tr("%1 holds %2 keys; the first %3 listed:")
                                   .arg(q(n.address))
                                   .arg(n.keys)
                                   .arg(k.keys.size());
    if (!k.lockLike.empty()) tip += "\n" + tr("Lock-looking (a TTL or a lock-ish name):");
    for (const auto& key : k.lockLike) tip += "\n    " + displayText(key);
    if (k.lockLike.size() < k.keys.size()) tip += "\n" + tr("Other keys:");
    for (const auto& key : k.keys)
        if (!std::binary_search(k.lockLike.begin(), k.lockLike.end(), key))
            tip += "\n    " + displayText(key);
    return tip;
}

int TopologyModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !view_ ? 0 : static_cast<int>(view_->snapshot.nodes.size());
}

int TopologyModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TopologyModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    static const char* names[] = {
        QT_TR_NOOP("#"),        QT_TR_NOOP("Address"),   QT_TR_NOOP("Role"),
        QT_TR_NOOP("State"),    QT_TR_NOOP("Reachable"), QT_TR_NOOP("Replicates from"),
        QT_TR_NOOP("Replicas"), QT_TR_NOOP("Slots"),     QT_TR_NOOP("Keys"),
        QT_TR_NOOP("Holds"),    QT_TR_NOOP("Note")};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

const sandbox::NodeView* TopologyModel::node(int row) const {
    if (!view_ || row < 0 || row >= rowCount()) return nullptr;
    return &view_->snapshot.nodes[static_cast<size_t>(row)];
}

const NodeKeys* TopologyModel::keys(int row) const {
    const auto* n = node(row);
    if (!n || n->role == NodeRole::Sentinel || static_cast<size_t>(row) >= view_->keys.size())
        return nullptr;
    return &view_->keys[static_cast<size_t>(row)];
}

QVariant TopologyModel::data(const QModelIndex& idx, int role) const {
    const auto* n = idx.isValid() ? node(idx.row()) : nullptr;
    if (!n) return {};
    const NodeKeys* k = keys(idx.row());
    const int col = idx.column();
    if (role == Qt::DisplayRole) {
        switch (col) {
            case Index:
                return n->index;
            case Address:
                return q(n->address);
            case Role:
                return nodeRoleText(n->role);
            case State:
                return nodeStateText(n->state);
            case Reachable:
                return n->reachable ? tr("yes") : tr("no");
            case ReplicatesFrom:
                if (n->masterOf.empty()) return QString();
                return n->linkStatus.empty()
                           ? q(n->masterOf)
                           : tr("%1 (%2)").arg(q(n->masterOf), linkStatusText(n->linkStatus));
            case Replicas: {
                QStringList list;
                for (const auto& r : n->replicas) list << q(r);
                return list.join(", ");
            }
            case Slots:
                return q(redis::slotsText(n->ranges));
            case Keys:
                if (n->role == NodeRole::Sentinel) return QStringLiteral("–");
                return n->keys >= 0 ? QVariant(n->keys) : QVariant(tr("?"));
            case Holds:
                return k ? holdsText(*k) : QString();
            case Note: {
                QString note = noteText(*n);
                if (k && !k->error.empty() && n->reachable)
                    note +=
                        (note.isEmpty() ? "" : "; ") + tr("keys not listed: %1").arg(q(k->error));
                return note;
            }
        }
    }
    if (role == Qt::ToolTipRole) {
        if ((col == Holds || col == Keys) && k) return keysTooltip(*n, *k);
        if (col == Role && n->role == NodeRole::Sentinel && view_)
            return tr("Watches %1 (%2)")
                .arg(q(view_->snapshot.masterName), q(view_->snapshot.sentinelMaster));
        if (col == State && n->pid > 0) return tr("pid %1").arg(n->pid);
        if (col == Note || col == Holds || col == Replicas) return data(idx, Qt::DisplayRole);
        return {};
    }
    if (role == Qt::ForegroundRole) {
        const QPalette palette = QGuiApplication::palette();
        if (col == Role)
            return QBrush(readableOn(roleColour(n->role), palette.color(QPalette::Base)));
        if (col == State || col == Reachable)
            return QBrush(stateColour(n->state, n->reachable, palette));
        return {};
    }
    if (role == Qt::TextAlignmentRole && (col == Index || col == Keys))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

void TopologyModel::apply(TopologyViewPtr view) {
    if (!view) return clear();
    if (view_ && sameRows(*view_, *view)) {
        view_ = std::move(view);
        if (rowCount() > 0) emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    view_ = std::move(view);
    endResetModel();
}

void TopologyModel::clear() {
    if (!view_) return;
    beginResetModel();
    view_.reset();
    endResetModel();
}

}  // namespace lockscope::ui
