// File > Connect…: where to connect — a URL (redis://, unix://), a host and port, a Redlock node
// group, or back to the embedded sandbox — and how: TLS (CA, client certificate, SNI, --insecure
// with a visible warning) and an SSH bastion. Saved profiles (connection_profiles.h) keep paths,
// never the password or a passphrase; those go to the system keychain (password_store.h). Where
// there is no keychain it says why and asks for the password each time. "Test connection" and
// "Connect" both probe the target off the GUI thread first (connection_tester.h); Connect hands the
// target over only once it answered, so a typo or a wrong password changes nothing in the window.
//
// Thread contract: GUI thread only.
#pragma once

#include <QDialog>
#include <QHash>
#include <QList>
#include <optional>

#include "ui/connect/connection_profiles.h"

class QCheckBox;
class QComboBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace lockscope::ui {

class ConnectionTester;
struct ConnectionTestStep;
class PasswordStore;

class ConnectionDialog : public QDialog {
    Q_OBJECT
public:
    explicit ConnectionDialog(QWidget* parent = nullptr);
    ~ConnectionDialog() override;

    // The embedded sandbox, offered as "Embedded sandbox"; nullopt when none runs.
    void setSandbox(std::optional<ConnectionTarget> sandbox);
    // The form as a profile (name from "Save as"); the password is not part of it.
    ConnectionProfile currentProfile() const;
    // Selects a saved profile by name ("" = a new connection).
    void selectProfile(const QString& name);

    PasswordStore* passwordStore() const { return keychain_; }
    ConnectionTester* tester() const { return tester_; }
    QLineEdit* passwordEdit() const { return password_; }
    QLabel* keychainNote() const { return keychainNote_; }
    QLabel* resultLabel() const { return result_; }
    // The steps of the last test ("✔ TLS handshake — TLSv1.3, …"), one per line.
    QLabel* stepsLabel() const { return steps_; }
    QPushButton* testButton() const { return testButton_; }
    QPushButton* connectButton() const { return connectButton_; }

signals:
    // Emitted by Connect once the target answered (the sandbox is not probed first).
    void connectRequested(const lockscope::ui::ConnectionTarget& target);

public slots:
    void done(int result) override;

protected:
    void showEvent(QShowEvent* e) override;
    void changeEvent(QEvent* e) override;

private:
    void buildForm();
    void reloadProfiles(const QString& select);
    void loadProfile(const ConnectionProfile& p);
    void kindChanged();
    void moveUrlPassword();
    void onKeychainState();
    void startTest(bool thenConnect);
    void onTestFinished(int request, bool ok, const QString& message,
                        const QList<ConnectionTestStep>& steps);
    QGroupBox* buildTlsBox();
    QGroupBox* buildSshBox();
    QWidget* pathRow(QLineEdit* edit, bool directory);
    void urlEdited();
    void readSecret(const QString& key, QLineEdit* into);
    ConnectionSecrets secrets() const;
    void saveProfile();
    void deleteProfile();
    void fieldsEdited();
    void showResult(int tone, const QString& text);
    ConnectionTarget resolve() const;  // throws redis::Error(InvalidArgument)

    ConnectionProfiles profiles_;
    PasswordStore* keychain_;
    ConnectionTester* tester_;
    std::optional<ConnectionTarget> sandbox_;

    QComboBox* profileBox_;
    QPushButton* deleteButton_;
    QFormLayout* form_;
    QComboBox* kindBox_;
    QLineEdit* url_;
    QLineEdit* host_;
    QSpinBox* port_;
    QLineEdit* nodes_;
    QSpinBox* db_;
    QLineEdit* user_;
    QLineEdit* password_;
    QCheckBox* remember_;
    QCheckBox* readOnly_;
    QCheckBox* production_;
    QComboBox* colour_;
    QLabel* keychainNote_;
    QLineEdit* name_;
    QPushButton* saveButton_;
    QLabel* result_;
    QLabel* steps_;
    QCheckBox* tlsCheck_;
    QGroupBox* tlsBox_;  // the TLS settings, shown while tlsCheck_ is on
    QLineEdit* caCert_;
    QLineEdit* caCertDir_;
    QLineEdit* cert_;
    QLineEdit* key_;
    QLineEdit* tlsPassphrase_;
    QLineEdit* sni_;
    QCheckBox* insecure_;
    QLabel* insecureWarning_ = nullptr;
    QCheckBox* sshCheck_;
    QGroupBox* sshBox_;
    QLineEdit* sshDestination_;
    QLineEdit* sshIdentity_;
    QLineEdit* sshPassphrase_;
    QLineEdit* sshKnownHosts_;
    QPushButton* testButton_;
    QPushButton* connectButton_;

    int currentRequest_ = 0;  // the probe whose answer is shown; 0 = none
    bool connectAfterTest_ = false;
    ConnectionTarget pendingTarget_;
    // Keychain reads whose answers fill a field (the password, a passphrase), by key.
    QHash<QString, QLineEdit*> pendingReads_;
};

}  // namespace lockscope::ui
