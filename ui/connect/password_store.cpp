#include "ui/connect/password_store.h"

#include <qt6keychain/keychain.h>

namespace lockscope::ui {

// Jobs have no parent and delete themselves once finished (QtKeychain's autoDelete): a job deleted
// while libsecret's asynchronous call is pending is used after free when that call completes (seen
// when a dialog closed right after opening). Connections to `this` end with the store, so a late
// answer goes nowhere.

PasswordStore::PasswordStore(QString service, QObject* parent)
    : QObject(parent), service_(std::move(service)) {}

bool PasswordStore::noteOutcome(int error, const QString& errorString) {
    using namespace QKeychain;
    switch (Error(error)) {
        case NoError:
        case EntryNotFound:
        case CouldNotDeleteEntry:
        case AccessDeniedByUser:  // a person said no: the keychain exists
            if (state_ != State::Available) {
                state_ = State::Available;
                reason_.clear();
                emit stateChanged(state_, reason_);
            }
            return true;
        case AccessDenied:
        case NoBackendAvailable:
        case NotImplemented:
        case OtherError:
            // On Linux QtKeychain reports a missing D-Bus session or Secret Service as OtherError
            // ("Cannot autolaunch D-Bus without X11 $DISPLAY"): the same as no backend for us.
            if (state_ != State::Unavailable) {
                state_ = State::Unavailable;
                reason_ = errorString.isEmpty() ? tr("no keychain service answered") : errorString;
                emit stateChanged(state_, reason_);
            }
            return false;
    }
    return false;
}

void PasswordStore::probe() { read(QStringLiteral("probe/never-written")); }

void PasswordStore::read(const QString& key) {
    auto* job = new QKeychain::ReadPasswordJob(service_);  // no parent: see above
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [this, key](QKeychain::Job* j) {
        auto* r = static_cast<QKeychain::ReadPasswordJob*>(j);
        const bool answered = noteOutcome(r->error(), r->errorString());
        const bool found = answered && r->error() == QKeychain::NoError;
        emit readFinished(key, found, found ? r->textData() : QString());
    });
    job->start();
}

void PasswordStore::write(const QString& key, const QString& password) {
    auto* job = new QKeychain::WritePasswordJob(service_);  // no parent: see above
    job->setKey(key);
    job->setTextData(password);
    connect(job, &QKeychain::Job::finished, this, [this, key](QKeychain::Job* j) {
        noteOutcome(j->error(), j->errorString());
        emit writeFinished(key, j->error() == QKeychain::NoError, j->errorString());
    });
    job->start();
}

void PasswordStore::remove(const QString& key) {
    auto* job = new QKeychain::DeletePasswordJob(service_);  // no parent: see above
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this,
            [this](QKeychain::Job* j) { noteOutcome(j->error(), j->errorString()); });
    job->start();
}

}  // namespace lockscope::ui
