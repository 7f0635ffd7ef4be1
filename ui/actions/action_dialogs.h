// The dialogs behind the write actions. Each is opened window-modal with open() (no nested event
// loop) and hands back a complete ActionRequest when accepted; bad input keeps its OK button
// disabled and says why, so nothing half-specified ever reaches the service.
//
//   AcquireDialog       key, strategy, TTL, "hold with auto-renew until released", wait
//   ExtendDialog        the lock and holder being extended, the new TTL
//   ForceReleaseDialog  the holder and TTL the operator is looking at, frozen when it opened: the
//                       service deletes only if that holder still holds the lock
//   SetCounterDialog    the new value of a counter
//
// Thread contract: GUI thread only.
#pragma once

#include <QDialog>
#include <string>
#include <unordered_map>
#include <vector>

#include "locks/primitive_ops.h"
#include "monitor/key_record.h"
#include "ui/actions/action_service.h"

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace lockscope::ui {

class AcquireDialog : public QDialog {
    Q_OBJECT
public:
    // `nodeCount` > 1 (a Redlock group) leaves only the multi-node strategies to choose.
    // `format`: the selected lock's, which picks the strategy that fits it (a fair lock: fair).
    AcquireDialog(const std::string& key, size_t nodeCount, QWidget* parent = nullptr,
                  monitor::Format format = monitor::Format::Unknown);
    ActionRequest request() const;

    QLineEdit* keyEdit() const { return key_; }
    QComboBox* strategyBox() const { return strategy_; }
    QSpinBox* ttlSpin() const { return ttl_; }
    QCheckBox* holdCheck() const { return hold_; }
    QSpinBox* waitSpin() const { return wait_; }
    QComboBox* modeBox() const { return mode_; }
    QSpinBox* permitsSpin() const { return permits_; }
    QPushButton* okButton() const;

private:
    void validate();

    QLineEdit* key_;
    QComboBox* strategy_;
    QSpinBox* ttl_;
    QCheckBox* hold_;
    QSpinBox* wait_;
    QComboBox* mode_;    // read-write: read or write
    QSpinBox* permits_;  // semaphores: the size of a new one
    QFormLayout* form_;
    QLabel* hint_;
    QDialogButtonBox* buttons_;
};

class ExtendDialog : public QDialog {
    Q_OBJECT
public:
    ExtendDialog(const monitor::KeyRecord& lock, bool ownLease, QWidget* parent = nullptr);
    ActionRequest request() const;
    QSpinBox* ttlSpin() const { return ttl_; }
    QPushButton* okButton() const;
    // A lock LockScope only guessed: "I checked that it is a lock", to be ticked; null otherwise.
    QCheckBox* guessCheck() const { return guess_; }

private:
    std::string key_;
    std::string holder_;
    QCheckBox* guess_ = nullptr;
    QSpinBox* ttl_;
    QDialogButtonBox* buttons_;
};

class ForceReleaseDialog : public QDialog {
    Q_OBJECT
public:
    // `holderClients`: tag → connection name of the LockScope clients behind "<uuid>:<thread>"
    // holders and expirable permits' tokens (LockDetailPane::holderClients()), to name a
    // reader's process and say whether a permit's holder is connected ("": looked for, not
    // connected); null: unknown.
    // `recorded`: a plain semaphore's recorded permit tokens (LockDetailPane::recordedPermits());
    // a gone holder's token can be given back by itself. Null: not known.
    ForceReleaseDialog(const monitor::KeyRecord& lock, QWidget* parent = nullptr,
                       const std::unordered_map<std::string, std::string>* holderClients = nullptr,
                       const std::vector<locks::RecordedPermit>* recorded = nullptr);
    ActionRequest request() const;
    // What the operator was shown.
    const std::string& shownHolder() const { return holder_; }
    long long shownTtlMs() const { return ttlMs_; }
    QString shownText() const;
    QPushButton* confirmButton() const { return confirm_; }
    // Several holders shown (an expirable semaphore's permits, a read-write lock's readers): which
    // to release — all of them, or one; null otherwise.
    QComboBox* whichBox() const { return which_; }
    // A plain semaphore: how many of its taken permits to give back; null otherwise.
    QSpinBox* permitsBox() const { return permits_; }
    // A plain semaphore with recorded tokens whose holders are gone: give back by count (the
    // first item) or one such token; null otherwise.
    QComboBox* tokenBox() const { return token_; }
    // A lock LockScope only guessed: "I checked that it is a lock", to be ticked; null otherwise.
    QCheckBox* guessCheck() const { return guess_; }

private:
    std::string key_;
    std::string holder_;
    long long ttlMs_;
    long long observeMs_ = -1;  // an integer lock's watch before deleting (-1: the default)
    // When the dashboard last saw the lock's value change (unset: never followed it).
    monitor::Steady::time_point lastChange_{};
    QLabel* text_;
    QPushButton* confirm_;
    QComboBox* which_ = nullptr;
    QSpinBox* permits_ = nullptr;
    QComboBox* token_ = nullptr;
    QCheckBox* guess_ = nullptr;
};

class SetCounterDialog : public QDialog {
    Q_OBJECT
public:
    SetCounterDialog(const std::string& key, long long current, QWidget* parent = nullptr);
    ActionRequest request() const;
    QLineEdit* valueEdit() const { return value_; }
    QPushButton* okButton() const;

private:
    void validate();

    std::string key_;
    QLineEdit* value_;
    QLabel* hint_;
    QDialogButtonBox* buttons_;
};

}  // namespace lockscope::ui
