#include "ui/connect/connection_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QLineEdit>
#include <QPixmap>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QVBoxLayout>

#include "redis/error.h"
#include "ui/common/app_icon.h"
#include "ui/common/palette_colours.h"
#include "ui/connect/connection_tester.h"
#include "ui/connect/password_store.h"

namespace lockscope::ui {
namespace {

// The colour tags' names as people read them (stored by their English name).
QString colourName(const QString& tag) {
    static const std::pair<const char*, const char*> names[] = {
        {"red", QT_TRANSLATE_NOOP("lockscope::ui::ConnectionDialog", "Red")},
        {"orange", QT_TRANSLATE_NOOP("lockscope::ui::ConnectionDialog", "Orange")},
        {"yellow", QT_TRANSLATE_NOOP("lockscope::ui::ConnectionDialog", "Yellow")},
        {"green", QT_TRANSLATE_NOOP("lockscope::ui::ConnectionDialog", "Green")},
        {"blue", QT_TRANSLATE_NOOP("lockscope::ui::ConnectionDialog", "Blue")},
        {"purple", QT_TRANSLATE_NOOP("lockscope::ui::ConnectionDialog", "Purple")}};
    for (const auto& [id, text] : names)
        if (tag == QLatin1String(id))
            return QCoreApplication::translate("lockscope::ui::ConnectionDialog", text);
    return tag;
}

using Kind = ConnectionProfile::Kind;

enum ResultTone { Busy, Success, Failure, Info };

}  // namespace

ConnectionDialog::ConnectionDialog(QWidget* parent)
    : QDialog(parent),
      keychain_(new PasswordStore("LockScope", this)),
      tester_(new ConnectionTester(this)) {
    setObjectName("connectionDialog");
    setWindowTitle(tr("Connect — LockScope"));
    setWindowIcon(appIcon());
    buildForm();

    connect(keychain_, &PasswordStore::stateChanged, this, &ConnectionDialog::onKeychainState);
    connect(keychain_, &PasswordStore::readFinished, this,
            [this](const QString& key, bool found, const QString& secret) {
                QLineEdit* into = pendingReads_.take(key);
                if (!into || !found || !into->text().isEmpty()) return;
                into->setText(secret);
                if (into == password_)
                    showResult(Info, tr("Password read from the system keychain."));
            });
    connect(keychain_, &PasswordStore::writeFinished, this,
            [this](const QString&, bool ok, const QString& error) {
                if (!ok && keychain_->state() != PasswordStore::State::Unavailable)
                    showResult(Failure,
                               tr("The password was not saved in the keychain: %1").arg(error));
            });
    connect(tester_, &ConnectionTester::finished, this, &ConnectionDialog::onTestFinished);

    reloadProfiles(profiles_.lastUsed());
    keychain_->probe();  // the note about a missing keychain shows before anyone types
}

ConnectionDialog::~ConnectionDialog() = default;

void ConnectionDialog::buildForm() {
    auto* header = new QHBoxLayout;
    auto* logo = new QLabel(this);
    logo->setPixmap(appIcon().pixmap(QSize(48, 48)));  // picks the PNG that suits the screen's DPR
    header->addWidget(logo);
    auto* title =
        new QLabel(tr("<b>Connect to a Redis server</b><br>The connection is tried first; "
                      "LockScope only reads until you act."),
                   this);
    header->addWidget(title, 1);

    profileBox_ = new QComboBox(this);
    profileBox_->setObjectName("profileBox");
    deleteButton_ = new QPushButton(tr("Delete"), this);
    deleteButton_->setObjectName("deleteProfileButton");
    deleteButton_->setToolTip(tr("Forget this profile and its saved password"));
    auto* profileRow = new QHBoxLayout;
    profileRow->addWidget(profileBox_, 1);
    profileRow->addWidget(deleteButton_);

    kindBox_ = new QComboBox(this);
    kindBox_->setObjectName("kindBox");
    kindBox_->addItem(tr("Server URL"), int(Kind::Url));
    kindBox_->addItem(tr("Host and port"), int(Kind::HostPort));
    kindBox_->addItem(tr("Node group (Redlock)"), int(Kind::Nodes));
    kindBox_->addItem(tr("Embedded sandbox"), int(Kind::Sandbox));

    url_ = new QLineEdit(this);
    url_->setObjectName("urlEdit");
    url_->setPlaceholderText(
        "redis://[user:pass@]host[:port][/db]  or  unix:///path/to/redis.sock?db=N");
    url_->setToolTip(
        tr("redis://[user:pass@]host[:port][/db] — one server\n"
           "unix:///path/to/redis.sock[?db=N] — one server on a unix socket\n"
           "redis+sentinel://host:port[,host:port…]/master[/db] — the master the Sentinels name, "
           "followed across failovers\n"
           "redis+cluster://host:port[,host:port…] — every master of a Redis Cluster"));
    host_ = new QLineEdit("127.0.0.1", this);
    host_->setObjectName("hostEdit");
    port_ = new QSpinBox(this);
    port_->setObjectName("portSpin");
    port_->setRange(1, 65535);
    port_->setValue(6379);
    nodes_ = new QLineEdit(this);
    nodes_->setObjectName("nodesEdit");
    nodes_->setPlaceholderText("host:port,host:port,host:port");
    db_ = new QSpinBox(this);
    db_->setObjectName("dbSpin");
    db_->setRange(0, 1 << 20);
    user_ = new QLineEdit(this);
    user_->setObjectName("userEdit");
    user_->setPlaceholderText(tr("default"));
    password_ = new QLineEdit(this);
    password_->setObjectName("passwordEdit");
    password_->setEchoMode(QLineEdit::Password);
    password_->setPlaceholderText(tr("none"));
    remember_ = new QCheckBox(tr("Remember the password in the system keychain"), this);
    remember_->setObjectName("rememberPassword");
    keychainNote_ = new QLabel(this);
    keychainNote_->setObjectName("keychainNote");
    keychainNote_->setWordWrap(true);
    keychainNote_->hide();

    form_ = new QFormLayout;
    auto* profileLabel =
        new QLabel(tr("Saved &profile:"), this);  // a layout row: the label needs its buddy
    profileLabel->setBuddy(profileBox_);
    form_->addRow(profileLabel, profileRow);
    form_->addRow(tr("Connect &to:"), kindBox_);
    form_->addRow(tr("&URL:"), url_);
    form_->addRow(tr("&Host:"), host_);
    form_->addRow(tr("P&ort:"), port_);
    form_->addRow(tr("&Nodes:"), nodes_);
    form_->addRow(tr("&Database:"), db_);
    form_->addRow(tr("U&ser:"), user_);
    form_->addRow(tr("&Password:"), password_);
    form_->addRow(QString(), remember_);
    form_->addRow(QString(), keychainNote_);
    // How to reach the server, before the profile's name: the whole form is what gets saved.
    tlsBox_ = buildTlsBox();
    sshBox_ = buildSshBox();
    form_->addRow(tlsCheck_);
    form_->addRow(tlsBox_);
    form_->addRow(sshCheck_);
    form_->addRow(sshBox_);

    // How the profile opens: read-only by default, production (read-only until unlocked, and
    // said so), and a colour tag shown with its name.
    readOnly_ = new QCheckBox(tr("Open read-only (write actions off until unlocked)"), this);
    readOnly_->setObjectName("profileReadOnly");
    production_ = new QCheckBox(tr("Production server (opens read-only; lockscope-cli refuses "
                                   "writes without --allow-writes)"),
                                this);
    production_->setObjectName("profileProduction");
    connect(production_, &QCheckBox::toggled, this, [this](bool on) {
        readOnly_->setEnabled(!on);
        if (on) readOnly_->setChecked(true);
    });
    colour_ = new QComboBox(this);
    colour_->setObjectName("profileColour");
    colour_->addItem(tr("No colour"), QString());
    for (const auto& c : profileColours()) {
        QPixmap swatch(12, 12);
        swatch.fill(QColor(QString::fromLatin1(c.hex)));
        colour_->addItem(QIcon(swatch), colourName(QString::fromLatin1(c.name)),
                         QString::fromLatin1(c.name));
    }
    auto* modeRow = new QHBoxLayout;
    modeRow->addWidget(colour_);
    modeRow->addWidget(readOnly_, 1);
    form_->addRow(tr("Profile &tag:"), modeRow);
    form_->addRow(QString(), production_);

    name_ = new QLineEdit(this);
    name_->setObjectName("profileNameEdit");
    name_->setPlaceholderText(tr("a name to keep this connection under"));
    saveButton_ = new QPushButton(tr("Sa&ve profile"), this);
    saveButton_->setObjectName("saveProfileButton");
    auto* saveRow = new QHBoxLayout;
    saveRow->addWidget(name_, 1);
    saveRow->addWidget(saveButton_);
    auto* saveLabel = new QLabel(tr("Save &as:"), this);  // a layout row: the label needs its buddy
    saveLabel->setBuddy(name_);
    form_->addRow(saveLabel, saveRow);

    result_ = new QLabel(this);
    result_->setObjectName("testResult");
    result_->setWordWrap(true);
    result_->setTextInteractionFlags(Qt::TextSelectableByMouse);  // errors can be copied
    result_->setMinimumHeight(fontMetrics().lineSpacing() * 2);
    steps_ = new QLabel(this);
    steps_->setObjectName("testSteps");
    steps_->setWordWrap(true);
    steps_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    steps_->hide();

    auto* buttons = new QDialogButtonBox(this);
    testButton_ = new QPushButton(tr("&Test connection"), this);
    testButton_->setObjectName("testButton");
    connectButton_ = buttons->addButton(tr("&Connect"), QDialogButtonBox::AcceptRole);
    connectButton_->setObjectName("connectButton");
    connectButton_->setDefault(true);
    buttons->addButton(QDialogButtonBox::Cancel);
    // Connect probes first, so QDialogButtonBox::accepted is deliberately not wired to accept().
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(testButton_, &QPushButton::clicked, this, [this] { startTest(false); });
    connect(connectButton_, &QPushButton::clicked, this, [this] { startTest(true); });

    auto* top = new QVBoxLayout(this);
    top->addLayout(header);
    top->addLayout(form_);
    top->addWidget(result_);
    top->addWidget(steps_);
    auto* buttonRow = new QHBoxLayout;
    buttonRow->addWidget(testButton_);  // apart from Connect / Cancel: it never closes the dialog
    buttonRow->addStretch(1);
    buttonRow->addWidget(buttons);
    top->addLayout(buttonRow);
    setMinimumWidth(560);

    connect(profileBox_, &QComboBox::currentIndexChanged, this, [this](int i) {
        const QString name = profileBox_->itemData(i).toString();
        deleteButton_->setEnabled(!name.isEmpty());
        for (const auto& p : profiles_.load())
            if (p.name == name) return loadProfile(p);
        loadProfile(ConnectionProfile{});
    });
    connect(kindBox_, &QComboBox::currentIndexChanged, this, [this] {
        kindChanged();
        fieldsEdited();
    });
    connect(url_, &QLineEdit::editingFinished, this, &ConnectionDialog::urlEdited);
    connect(saveButton_, &QPushButton::clicked, this, &ConnectionDialog::saveProfile);
    connect(deleteButton_, &QPushButton::clicked, this, &ConnectionDialog::deleteProfile);
    for (QLineEdit* e :
         {url_, host_, nodes_, user_, password_, caCert_, caCertDir_, cert_, key_, tlsPassphrase_,
          sni_, sshDestination_, sshIdentity_, sshPassphrase_, sshKnownHosts_})
        connect(e, &QLineEdit::textEdited, this, &ConnectionDialog::fieldsEdited);
    for (QCheckBox* b : {tlsCheck_, sshCheck_})
        connect(b, &QCheckBox::toggled, this, [this] {
            kindChanged();  // shows or folds the section
            if (isVisible()) adjustSize();
            fieldsEdited();
        });
    connect(insecure_, &QCheckBox::toggled, this, &ConnectionDialog::fieldsEdited);
    for (QSpinBox* s : {port_, db_})
        connect(s, &QSpinBox::valueChanged, this, &ConnectionDialog::fieldsEdited);
    setSandbox(std::nullopt);
    kindChanged();
}

QWidget* ConnectionDialog::pathRow(QLineEdit* edit, bool directory) {
    auto* row = new QWidget(this);
    auto* l = new QHBoxLayout(row);
    l->setContentsMargins(0, 0, 0, 0);
    l->addWidget(edit, 1);
    auto* browse = new QPushButton(tr("Browse…"), row);
    browse->setObjectName(edit->objectName() + "Browse");
    l->addWidget(browse);
    connect(browse, &QPushButton::clicked, this, [this, edit, directory] {
        // open(), not exec(): no nested event loop while the monitor's updates keep coming.
        auto* picker = new QFileDialog(this);
        picker->setAttribute(Qt::WA_DeleteOnClose);
        picker->setFileMode(directory ? QFileDialog::Directory : QFileDialog::ExistingFile);
        if (!edit->text().isEmpty()) picker->selectFile(edit->text());
        connect(picker, &QFileDialog::fileSelected, this, [this, edit](const QString& path) {
            edit->setText(path);
            fieldsEdited();
        });
        picker->open();
    });
    return row;
}

QGroupBox* ConnectionDialog::buildTlsBox() {
    tlsCheck_ = new QCheckBox(tr("T&LS: encrypt, and verify the server's certificate"), this);
    tlsCheck_->setObjectName("tlsCheck");
    tlsCheck_->setToolTip(tr("rediss:// turns it on"));
    auto* box = new QGroupBox(this);
    box->setObjectName("tlsBox");
    auto make = [this](const char* name, const QString& placeholder) {
        auto* e = new QLineEdit(this);
        e->setObjectName(name);
        e->setPlaceholderText(placeholder);
        return e;
    };
    caCert_ = make("caCertEdit", tr("PEM file; empty: the system's trusted CAs"));
    caCertDir_ = make("caCertDirEdit", tr("a directory made with openssl rehash"));
    cert_ = make("certEdit", tr("for servers with tls-auth-clients yes"));
    key_ = make("keyEdit", tr("the client certificate's private key (PEM)"));
    tlsPassphrase_ =
        make("tlsPassphraseEdit", tr("none (kept in the keychain, never in a profile)"));
    tlsPassphrase_->setEchoMode(QLineEdit::Password);
    sni_ = make("sniEdit", tr("the host connected to"));
    sni_->setToolTip(tr("The server name sent and verified instead of the host connected to"));
    insecure_ = new QCheckBox(tr("Do not verify the certificate (insecure)"), this);
    insecure_->setObjectName("insecureCheck");
    insecureWarning_ = new QLabel(
        tr("⚠ Without verification anyone between here and the server can read and change the "
           "connection. Use it only to look at a test server."),
        this);
    insecureWarning_->setObjectName("insecureWarning");
    insecureWarning_->setWordWrap(true);
    insecureWarning_->hide();

    auto* inner = new QWidget(box);
    auto* form = new QFormLayout(inner);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("CA &file:"), pathRow(caCert_, false));
    form->addRow(tr("CA director&y:"), pathRow(caCertDir_, true));
    form->addRow(tr("Client &certificate:"), pathRow(cert_, false));
    form->addRow(tr("Client &key:"), pathRow(key_, false));
    form->addRow(tr("Key passp&hrase:"), tlsPassphrase_);
    form->addRow(tr("Server &name (SNI):"), sni_);
    form->addRow(QString(), insecure_);
    form->addRow(QString(), insecureWarning_);
    (new QVBoxLayout(box))->addWidget(inner);
    connect(insecure_, &QCheckBox::toggled, this, [this](bool on) {
        insecureWarning_->setStyleSheet(
            QString("color: %1").arg(toneColour(Tone::Bad, palette(), QPalette::Window).name()));
        insecureWarning_->setVisible(on);
        // Nothing to verify against: the CA fields do not apply.
        caCert_->setEnabled(!on);
        caCertDir_->setEnabled(!on);
    });
    return box;
}

QGroupBox* ConnectionDialog::buildSshBox() {
    sshCheck_ = new QCheckBox(tr("SSH tunnel through a &bastion"), this);
    sshCheck_->setObjectName("sshCheck");
    sshCheck_->setToolTip(
        tr("Reach the server through the system's ssh (its config, agent and known hosts); the "
           "server above is named as the bastion sees it"));
    auto* box = new QGroupBox(this);
    box->setObjectName("sshBox");
    sshDestination_ = new QLineEdit(this);
    sshDestination_->setObjectName("sshDestinationEdit");
    sshDestination_->setPlaceholderText("[user@]host[:port]");
    sshIdentity_ = new QLineEdit(this);
    sshIdentity_->setObjectName("sshIdentityEdit");
    sshIdentity_->setPlaceholderText(tr("ssh's own (agent, ~/.ssh/config)"));
    sshPassphrase_ = new QLineEdit(this);
    sshPassphrase_->setObjectName("sshPassphraseEdit");
    sshPassphrase_->setEchoMode(QLineEdit::Password);
    sshPassphrase_->setPlaceholderText(tr("none (kept in the keychain, never in a profile)"));
    sshKnownHosts_ = new QLineEdit(this);
    sshKnownHosts_->setObjectName("sshKnownHostsEdit");
    sshKnownHosts_->setPlaceholderText(tr("ssh's own (~/.ssh/known_hosts)"));
    sshKnownHosts_->setToolTip(
        tr("The bastion's host key is always checked: an unknown or changed key is refused"));

    auto* inner = new QWidget(box);
    auto* form = new QFormLayout(inner);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("B&astion:"), sshDestination_);
    form->addRow(tr("&Identity file:"), pathRow(sshIdentity_, false));
    form->addRow(tr("Identity pa&ssphrase:"), sshPassphrase_);
    form->addRow(tr("Known &hosts file:"), pathRow(sshKnownHosts_, false));
    (new QVBoxLayout(box))->addWidget(inner);
    return box;
}

void ConnectionDialog::setSandbox(std::optional<ConnectionTarget> sandbox) {
    sandbox_ = std::move(sandbox);
    if (sandbox_) sandbox_->sandbox = true;
    const int i = kindBox_->findData(int(Kind::Sandbox));
    if (auto* model = qobject_cast<QStandardItemModel*>(kindBox_->model())) {
        model->item(i)->setEnabled(sandbox_.has_value());
        model->item(i)->setToolTip(
            sandbox_ ? tr("Back to %1").arg(sandbox_->description)
                     : tr("No sandbox runs: start lockscope without --url or --nodes"));
    }
    if (!sandbox_ && kindBox_->currentIndex() == i)
        kindBox_->setCurrentIndex(kindBox_->findData(int(Kind::HostPort)));
}

void ConnectionDialog::reloadProfiles(const QString& select) {
    const QSignalBlocker block(profileBox_);
    profileBox_->clear();
    profileBox_->addItem(tr("New connection"), QString());
    for (const auto& p : profiles_.load()) profileBox_->addItem(p.name, p.name);
    const int i = std::max(0, profileBox_->findData(select));
    profileBox_->setCurrentIndex(i);
    deleteButton_->setEnabled(i > 0);
    if (i > 0)
        for (const auto& p : profiles_.load())
            if (p.name == select) loadProfile(p);
}

void ConnectionDialog::selectProfile(const QString& name) {
    const int i = profileBox_->findData(name);
    profileBox_->setCurrentIndex(std::max(0, i));
}

void ConnectionDialog::loadProfile(const ConnectionProfile& p) {
    kindBox_->setCurrentIndex(std::max(0, kindBox_->findData(int(p.kind))));
    url_->setText(p.url);
    host_->setText(p.host);
    port_->setValue(p.port);
    nodes_->setText(p.nodes);
    db_->setValue(p.db);
    user_->setText(p.user);
    name_->setText(p.name);
    tlsCheck_->setChecked(p.tls);
    caCert_->setText(p.caCert);
    caCertDir_->setText(p.caCertDir);
    cert_->setText(p.cert);
    key_->setText(p.key);
    sni_->setText(p.sni);
    insecure_->setChecked(p.insecure);
    sshCheck_->setChecked(!p.sshDestination.isEmpty());
    sshDestination_->setText(p.sshDestination);
    sshIdentity_->setText(p.sshIdentity);
    sshKnownHosts_->setText(p.sshKnownHosts);
    production_->setChecked(p.production);
    readOnly_->setChecked(p.readOnly || p.production);
    colour_->setCurrentIndex(std::max(0, colour_->findData(p.colour)));
    password_->clear();
    tlsPassphrase_->clear();
    sshPassphrase_->clear();
    remember_->setChecked(p.rememberPassword &&
                          keychain_->state() != PasswordStore::State::Unavailable);
    result_->clear();
    steps_->clear();
    steps_->hide();
    currentRequest_ = 0;
    pendingReads_.clear();
    if (!p.name.isEmpty() && p.rememberPassword &&
        keychain_->state() != PasswordStore::State::Unavailable) {
        readSecret(keychainKey(p.name), password_);
        if (p.tls && !p.key.isEmpty()) readSecret(tlsPassphraseKey(p.name), tlsPassphrase_);
        if (!p.sshDestination.isEmpty()) readSecret(sshPassphraseKey(p.name), sshPassphrase_);
    }
}

void ConnectionDialog::readSecret(const QString& key, QLineEdit* into) {
    pendingReads_.insert(key, into);
    keychain_->read(key);
}

ConnectionSecrets ConnectionDialog::secrets() const {
    return {tlsCheck_->isChecked() ? tlsPassphrase_->text() : QString(),
            sshCheck_->isChecked() ? sshPassphrase_->text() : QString()};
}

ConnectionProfile ConnectionDialog::currentProfile() const {
    ConnectionProfile p;
    p.name = name_->text().trimmed();
    p.kind = Kind(kindBox_->currentData().toInt());
    p.url = url_->text().trimmed();
    p.host = host_->text().trimmed();
    p.port = port_->value();
    p.nodes = nodes_->text().trimmed();
    p.db = db_->value();
    p.user = user_->text().trimmed();
    p.rememberPassword = remember_->isEnabled() && remember_->isChecked();
    p.tls = tlsCheck_->isChecked();
    p.caCert = caCert_->text().trimmed();
    p.caCertDir = caCertDir_->text().trimmed();
    p.cert = cert_->text().trimmed();
    p.key = key_->text().trimmed();
    p.sni = sni_->text().trimmed();
    p.insecure = insecure_->isChecked();
    p.production = production_->isChecked();
    p.readOnly = readOnly_->isChecked() || p.production;
    p.colour = colour_->currentData().toString();
    if (p.insecure) p.caCert = p.caCertDir = QString();  // nothing is verified against them
    if (sshCheck_->isChecked()) {
        p.sshDestination = sshDestination_->text().trimmed();
        p.sshIdentity = sshIdentity_->text().trimmed();
        p.sshKnownHosts = sshKnownHosts_->text().trimmed();
    }
    return p;
}

void ConnectionDialog::kindChanged() {
    const Kind k = Kind(kindBox_->currentData().toInt());
    const bool sandbox = k == Kind::Sandbox;
    form_->setRowVisible(url_, k == Kind::Url);
    form_->setRowVisible(host_, k == Kind::HostPort);
    form_->setRowVisible(port_, k == Kind::HostPort);
    form_->setRowVisible(nodes_, k == Kind::Nodes);
    form_->setRowVisible(db_, k == Kind::HostPort || k == Kind::Nodes);
    form_->setRowVisible(user_, k == Kind::HostPort || k == Kind::Nodes);
    form_->setRowVisible(password_, !sandbox);
    form_->setRowVisible(remember_, !sandbox);
    form_->setRowVisible(keychainNote_,
                         !sandbox && keychain_->state() == PasswordStore::State::Unavailable);
    saveButton_->setEnabled(!sandbox);
    name_->setEnabled(!sandbox);
    // The sandbox is plain TCP on this machine; a section that is off is folded.
    form_->setRowVisible(tlsCheck_, !sandbox);
    form_->setRowVisible(tlsBox_, !sandbox && tlsCheck_->isChecked());
    form_->setRowVisible(sshCheck_, !sandbox);
    form_->setRowVisible(sshBox_, !sandbox && sshCheck_->isChecked());
}

void ConnectionDialog::urlEdited() {
    moveUrlPassword();
    // rediss://, rediss+sentinel://, rediss+cluster://: the URL asks for TLS.
    if (Kind(kindBox_->currentData().toInt()) == Kind::Url &&
        url_->text().trimmed().startsWith("rediss", Qt::CaseInsensitive) && !tlsCheck_->isChecked())
        tlsCheck_->setChecked(true);
}

void ConnectionDialog::moveUrlPassword() {
    QString password;
    const QString stripped = stripUrlPassword(url_->text(), &password);
    if (password.isEmpty()) return;
    url_->setText(stripped);
    password_->setText(password);
    showResult(
        Info,
        tr("The password from the URL is now in the password field: profiles never store it."));
}

void ConnectionDialog::onKeychainState() {
    const bool unavailable = keychain_->state() == PasswordStore::State::Unavailable;
    if (unavailable) {
        keychainNote_->setText(tr("No system keychain available (%1): the password is not saved. "
                                  "Type it each time you connect.")
                                   .arg(keychain_->unavailableReason()));
        keychainNote_->setStyleSheet(
            QString("color: %1")
                .arg(toneColour(Tone::Warning, palette(), QPalette::Window).name()));
        remember_->setChecked(false);
        remember_->setToolTip(keychain_->unavailableReason());
    }
    remember_->setEnabled(!unavailable);
    kindChanged();
    // The answer comes after the dialog is shown: grow it so the note is not cut off.
    if (isVisible()) adjustSize();
}

ConnectionTarget ConnectionDialog::resolve() const {
    const ConnectionProfile p = currentProfile();
    if (p.kind == Kind::Sandbox) {
        if (!sandbox_)
            throw redis::Error(redis::ErrorKind::InvalidArgument, "no sandbox runs in this window");
        return *sandbox_;
    }
    return resolveTarget(p, password_->text(), secrets());
}

void ConnectionDialog::startTest(bool thenConnect) {
    urlEdited();
    ConnectionTarget target;
    try {
        target = resolve();
    } catch (const redis::Error& e) {
        showResult(Failure, QString::fromStdString(e.what()));
        return;
    }
    if (thenConnect && target.sandbox) {  // ours, known to run: nothing to probe
        emit connectRequested(target);
        accept();
        return;
    }
    pendingTarget_ = target;
    connectAfterTest_ = thenConnect;
    currentRequest_ = tester_->test(target.target);
    connectButton_->setEnabled(!thenConnect);
    showResult(Busy, thenConnect ? tr("Connecting to %1…").arg(target.description)
                                 : tr("Testing %1…").arg(target.description));
    steps_->clear();
    steps_->hide();
}

void ConnectionDialog::onTestFinished(int request, bool ok, const QString& message,
                                      const QList<ConnectionTestStep>& steps) {
    if (request != currentRequest_) return;  // an older probe, or the form changed since
    currentRequest_ = 0;
    const bool thenConnect = connectAfterTest_;
    connectAfterTest_ = false;
    connectButton_->setEnabled(true);
    showResult(ok ? Success : Failure, message);
    QStringList lines;
    for (const auto& s : steps) {
        const QColor colour = toneColour(s.ok ? Tone::Good : Tone::Bad, palette());
        lines << QString("<span style='color:%1'>%2</span> %3 — %4")
                     .arg(colour.name(), s.ok ? QStringLiteral("✔") : QStringLiteral("✖"),
                          stepName(s.kind).toHtmlEscaped(), s.detail.toHtmlEscaped());
    }
    steps_->setText(lines.join("<br>"));
    steps_->setVisible(!lines.isEmpty());
    if (!ok || !thenConnect) return;
    const ConnectionProfile p = currentProfile();
    if (!p.name.isEmpty()) saveProfile();
    profiles_.setLastUsed(p.name);
    emit connectRequested(pendingTarget_);
    pendingTarget_ = {};
    accept();
}

void ConnectionDialog::saveProfile() {
    moveUrlPassword();
    const ConnectionProfile p = currentProfile();
    if (p.name.isEmpty()) {
        showResult(Failure, tr("Type a name under “Save as” to save this connection."));
        name_->setFocus();
        return;
    }
    try {
        (void)resolve();  // malformed input is not saved
    } catch (const redis::Error& e) {
        showResult(Failure, QString::fromStdString(e.what()));
        return;
    }
    profiles_.save(p);
    const ConnectionSecrets typed = secrets();
    const std::pair<QString, QString> entries[] = {
        {keychainKey(p.name), password_->text()},
        {tlsPassphraseKey(p.name), typed.tlsKeyPassphrase},
        {sshPassphraseKey(p.name), typed.sshPassphrase}};
    for (const auto& [key, secret] : entries) {
        if (p.rememberPassword && !secret.isEmpty())
            keychain_->write(key, secret);
        else if (keychain_->state() == PasswordStore::State::Available)
            keychain_->remove(key);  // not remembered, or emptied: an old secret must not stay
    }
    // Reloading the list must not lose what was typed.
    const QString password = password_->text();
    reloadProfiles(p.name);
    password_->setText(password);
    tlsPassphrase_->setText(typed.tlsKeyPassphrase);
    sshPassphrase_->setText(typed.sshPassphrase);
    pendingReads_.clear();
    showResult(
        Info,
        keychain_->state() == PasswordStore::State::Unavailable || !p.rememberPassword
            ? tr("Profile “%1” saved (without the password).").arg(p.name)
            : tr("Profile “%1” saved; the password goes to the system keychain.").arg(p.name));
}

void ConnectionDialog::deleteProfile() {
    const QString name = profileBox_->currentData().toString();
    if (name.isEmpty()) return;
    profiles_.remove(name);
    if (keychain_->state() != PasswordStore::State::Unavailable)
        for (const QString& key :
             {keychainKey(name), tlsPassphraseKey(name), sshPassphraseKey(name)})
            keychain_->remove(key);
    reloadProfiles({});
    loadProfile(ConnectionProfile{});
    showResult(Info, tr("Profile “%1” deleted.").arg(name));
}

void ConnectionDialog::fieldsEdited() {
    if (currentRequest_ == 0) return;
    // The answer on its way is about what the form said before: drop it.
    currentRequest_ = 0;
    connectAfterTest_ = false;
    connectButton_->setEnabled(true);
    result_->clear();
    steps_->clear();
    steps_->hide();
}

void ConnectionDialog::showResult(int tone, const QString& text) {
    QString mark;
    QColor colour = palette().color(QPalette::WindowText);
    switch (tone) {
        case Success:
            mark = QStringLiteral("✔ ");
            colour = toneColour(Tone::Good, palette());
            break;
        case Failure:
            mark = QStringLiteral("✖ ");
            colour = toneColour(Tone::Bad, palette());
            break;
        default:
            break;
    }
    result_->setText(QString("<span style='color:%1'>%2%3</span>")
                         .arg(colour.name(), mark, text.toHtmlEscaped()));
}

void ConnectionDialog::done(int result) {
    // Whatever was in flight must not connect after the dialog closed; the password is not kept.
    currentRequest_ = 0;
    connectAfterTest_ = false;
    pendingTarget_ = {};
    pendingReads_.clear();
    connectButton_->setEnabled(true);
    password_->clear();
    tlsPassphrase_->clear();
    sshPassphrase_->clear();
    QDialog::done(result);
}

void ConnectionDialog::changeEvent(QEvent* e) {
    QDialog::changeEvent(e);
    if (e->type() == QEvent::PaletteChange && insecureWarning_)  // light ↔ dark: its red follows
        insecureWarning_->setStyleSheet(
            QString("color: %1").arg(toneColour(Tone::Bad, palette(), QPalette::Window).name()));
    // The note's colour was picked for the old palette (light ↔ dark theme switch).
    if (e->type() == QEvent::PaletteChange &&
        keychain_->state() == PasswordStore::State::Unavailable)
        keychainNote_->setStyleSheet(
            QString("color: %1")
                .arg(toneColour(Tone::Warning, palette(), QPalette::Window).name()));
}

void ConnectionDialog::showEvent(QShowEvent* e) {
    QDialog::showEvent(e);
    // Reopened: fetch the saved password again (done() cleared it).
    const QString name = profileBox_->currentData().toString();
    if (name.isEmpty() || !password_->text().isEmpty()) return;
    for (const auto& p : profiles_.load())
        if (p.name == name && p.rememberPassword &&
            keychain_->state() != PasswordStore::State::Unavailable) {
            readSecret(keychainKey(name), password_);
            if (p.tls && !p.key.isEmpty()) readSecret(tlsPassphraseKey(name), tlsPassphrase_);
            if (!p.sshDestination.isEmpty()) readSecret(sshPassphraseKey(name), sshPassphrase_);
        }
}

}  // namespace lockscope::ui
