// Thread contract: GUI thread only.
//
// The nodes of the running sandbox topology, one row each, for the Topology view: index,
// address, role, state, reachable, what it replicates from (and the link's state), its replicas,
// the cluster slots it serves, its key count (DBSIZE) and the lock-looking keys it holds (the
// full listing in the tooltip), and the engine's note. Rows are the topology's nodes in start
// order and stay put across snapshots; a new topology resets the model.
#pragma once

#include <QAbstractTableModel>
#include <QColor>
#include <QPalette>

#include "ui/topology/topology_host.h"

namespace lockscope::ui {

class TopologyModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Index,
        Address,
        Role,
        State,
        Reachable,
        ReplicatesFrom,
        Replicas,
        Slots,
        Keys,
        Holds,
        Note,
        ColumnCount
    };
    static constexpr int kHoldsShown = 3;  // lock-looking keys named in the Holds cell

    explicit TopologyModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

    void apply(TopologyViewPtr view);
    void clear();

    TopologyViewPtr view() const { return view_; }
    const sandbox::NodeView* node(int row) const;
    const NodeKeys* keys(int row) const;  // null for Sentinels and out of range

    // One hue per role, the same in the table and the diagram.
    static QColor roleColour(sandbox::NodeRole role);
    // Readable as text on `palette`'s Base.
    static QColor stateColour(sandbox::NodeState state, bool reachable, const QPalette& palette);
    static QString holdsText(const NodeKeys& keys);
    static QString keysTooltip(const sandbox::NodeView& node, const NodeKeys& keys);

private:
    TopologyViewPtr view_;
};

}  // namespace lockscope::ui
