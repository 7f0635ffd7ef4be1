// Connection passwords in the system keychain (QtKeychain: Secret Service or KWallet over D-Bus).
// Every call starts an asynchronous job and answers with a signal — no nested event loop. Where
// no keychain answers (a headless machine, no D-Bus session, no Secret Service) the store says so
// once, with the keychain's own reason, and from then on reports itself unavailable: callers ask
// for the password each time instead of pretending to save it.
//
// Thread contract: GUI thread only.
#pragma once

#include <QObject>
#include <QString>

namespace lockscope::ui {

class PasswordStore : public QObject {
    Q_OBJECT
public:
    enum class State { Unknown, Available, Unavailable };

    // `service` groups LockScope's entries in the keychain.
    explicit PasswordStore(QString service = "LockScope", QObject* parent = nullptr);

    State state() const { return state_; }
    // Why the keychain cannot be used, in the keychain's words ("" while it can or is unknown).
    QString unavailableReason() const { return reason_; }

    // Learns whether a keychain answers, by reading an entry nobody writes.
    void probe();
    void read(const QString& key);
    void write(const QString& key, const QString& password);
    void remove(const QString& key);

signals:
    void stateChanged(lockscope::ui::PasswordStore::State state, const QString& reason);
    // found = false: no entry, or no keychain (see state()).
    void readFinished(const QString& key, bool found, const QString& password);
    void writeFinished(const QString& key, bool ok, const QString& error);

private:
    // Classifies a finished job's error: true if the keychain itself answered.
    bool noteOutcome(int error, const QString& errorString);

    QString service_;
    State state_ = State::Unknown;
    QString reason_;
};

}  // namespace lockscope::ui
