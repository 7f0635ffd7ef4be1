#include "ui/connect/connection_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
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
            [this](const QString& key, bool found, const QString& password) {
                if (key != pendingReadKey_) return;
                pendingReadKey_.clear();
                if (found && password_->text().isEmpty()) {
                    password_->setText(password);
                    showResult(Info, tr("Password read from the system keychain."));
                }
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
    connect(url_, &QLineEdit::editingFinished, this, &ConnectionDialog::moveUrlPassword);
    connect(saveButton_, &QPushButton::clicked, this, &ConnectionDialog::saveProfile);
    connect(deleteButton_, &QPushButton::clicked, this, &ConnectionDialog::deleteProfile);
    for (QLineEdit* e : {url_, host_, nodes_, user_, password_})
        connect(e, &QLineEdit::textEdited, this, &ConnectionDialog::fieldsEdited);
    for (QSpinBox* s : {port_, db_})
        connect(s, &QSpinBox::valueChanged, this, &ConnectionDialog::fieldsEdited);
    setSandbox(std::nullopt);
    kindChanged();
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
    password_->clear();
    remember_->setChecked(p.rememberPassword &&
                          keychain_->state() != PasswordStore::State::Unavailable);
    result_->clear();
    currentRequest_ = 0;
    pendingReadKey_.clear();
    if (!p.name.isEmpty() && p.rememberPassword &&
        keychain_->state() != PasswordStore::State::Unavailable) {
        pendingReadKey_ = keychainKey(p.name);
        keychain_->read(pendingReadKey_);
    }
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
}

ConnectionTarget ConnectionDialog::resolve() const {
    const ConnectionProfile p = currentProfile();
    if (p.kind == Kind::Sandbox) {
        if (!sandbox_)
            throw redis::Error(redis::ErrorKind::InvalidArgument, "no sandbox runs in this window");
        return *sandbox_;
    }
    return resolveTarget(p, password_->text());
}

void ConnectionDialog::startTest(bool thenConnect) {
    moveUrlPassword();
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
}

void ConnectionDialog::onTestFinished(int request, bool ok, const QString& message) {
    if (request != currentRequest_) return;  // an older probe, or the form changed since
    currentRequest_ = 0;
    const bool thenConnect = connectAfterTest_;
    connectAfterTest_ = false;
    connectButton_->setEnabled(true);
    showResult(ok ? Success : Failure, message);
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
    const QString key = keychainKey(p.name);
    if (p.rememberPassword && !password_->text().isEmpty())
        keychain_->write(key, password_->text());
    else if (!p.rememberPassword && keychain_->state() == PasswordStore::State::Available)
        keychain_->remove(key);
    const QString password = password_->text();  // reloading the list must not lose what was typed
    reloadProfiles(p.name);
    password_->setText(password);
    pendingReadKey_.clear();
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
        keychain_->remove(keychainKey(name));
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
    pendingReadKey_.clear();
    connectButton_->setEnabled(true);
    password_->clear();
    QDialog::done(result);
}

void ConnectionDialog::changeEvent(QEvent* e) {
    QDialog::changeEvent(e);
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
            pendingReadKey_ = keychainKey(name);
            keychain_->read(pendingReadKey_);
        }
}

}  // namespace lockscope::ui
