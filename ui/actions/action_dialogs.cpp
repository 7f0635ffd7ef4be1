#include "ui/actions/action_dialogs.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>
#include <charconv>
#include <vector>

#include "actions/lock_actions.h"
#include "locks/lock_strategy.h"
#include "locks/owner.h"
#include "monitor/why_text.h"
#include "ui/common/core_text.h"
#include "ui/common/display_text.h"
#include "ui/locks/lock_table_model.h"
#include "ui/locks/value_fetcher.h"
#include "util/audit.h"
#include "util/clock.h"

namespace lockscope::ui {
namespace {

constexpr int kMaxTtlMs = 24 * 3600 * 1000;  // a day: longer is a typo more often than a wish

// " — host h, pid 42" for a LockScope permit id (its token names the process); for a Redisson
// layout id (a reader's "<uuid>:<thread>", a random permit id), that the id itself names no
// process (it may still be a LockScope client's: the detail pane's Why says whose uuid it is);
// "" for several ids joined with ','.
// A "<uuid>:<thread>" id whose uuid begins with a connected LockScope client's tag (`clients`,
// tag → connection name, from CLIENT LIST) names that client's process (adv14d item 8).
QString whoseText(const std::string& id,
                  const std::unordered_map<std::string, std::string>* clients = nullptr) {
    if (id.find(',') != std::string::npos) return {};
    // A LockScope token names its process and its connection: said like a reader's, with
    // whether it is still connected where CLIENT LIST was read (adv14e item 9).
    if (auto t = locks::parseToken(id)) {
        QString s = ForceReleaseDialog::tr(" — LockScope client, host %1, pid %2")
                        .arg(QString::fromStdString(t->host))
                        .arg(t->pid);
        // Said only of a tag the read looked for ("" = looked for, not in CLIENT LIST).
        if (clients)
            if (const auto c = clients->find(t->tag); c != clients->end())
                s += !c->second.empty()
                         ? ForceReleaseDialog::tr(", connected")
                         : ForceReleaseDialog::tr(", not connected: its holder is gone");
        return s;
    }
    if (clients && id.size() >= 38 && id[36] == ':')
        if (const auto c = clients->find(id.substr(0, 8)); c != clients->end())
            if (const auto p = clientProcess(c->second))
                return ForceReleaseDialog::tr(" — LockScope client, host %1, pid %2")
                    .arg(QString::fromStdString(p->host))
                    .arg(p->pid);
    if (id.find(':') != std::string::npos)
        return ForceReleaseDialog::tr(" — uuid:thread id (it names no process)");
    return ForceReleaseDialog::tr(" — random permit id (it names no process)");
}

QSpinBox* ttlSpinBox(QWidget* parent, int value) {
    auto* s = new QSpinBox(parent);
    s->setRange(1, kMaxTtlMs);
    s->setSingleStep(1000);
    s->setSuffix(QObject::tr(" ms"));
    s->setValue(value);
    s->setAccelerated(true);
    return s;
}

QString ttlText(long long ms) {
    if (ms == -1) return QObject::tr("no TTL (it never expires by itself)");
    if (ms < 0) return QObject::tr("unknown");
    return ms < 10'000 ? QObject::tr("%1 ms").arg(ms) : QObject::tr("%1 s").arg(ms / 1000);
}

QLabel* selectableLabel(const QString& text, QWidget* parent) {
    auto* l = new QLabel(text, parent);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    l->setWordWrap(true);
    return l;
}

// A lock LockScope only guessed (a lock word and a value's shape: no library's layout, no rule):
// the operator ticks "I checked that it is a lock" before it is deleted or re-leased — a ban or a
// login lockout looks the same (actions::LockActionRequest::acceptGuess). Adds the note and the
// check box to `layout` and keeps `button` disabled until it is ticked; null for any other lock.
QCheckBox* addGuessCheck(const monitor::KeyRecord& lock, QVBoxLayout* layout, QPushButton* button,
                         QWidget* parent) {
    if (!lock.guessed() || lock.byRule()) return nullptr;
    auto* note = new QLabel(
        QObject::tr("LockScope only guessed that this is a lock (%1): no library's layout and no "
                    "rule of yours says so. A ban, a login lockout or a setting can look the "
                    "same, and this changes it all the same.")
            .arg(coreMessages(monitor::whyParts(lock))),
        parent);
    note->setObjectName("guessNote");
    note->setWordWrap(true);
    auto* check = new QCheckBox(QObject::tr("I checked that it is a lock"), parent);
    check->setObjectName("guessCheck");
    button->setEnabled(false);
    QObject::connect(check, &QCheckBox::toggled, button, &QPushButton::setEnabled);
    layout->addWidget(note);
    layout->addWidget(check);
    return check;
}

}  // namespace

// ---------------------------------------------------------------------------------------------

AcquireDialog::AcquireDialog(const std::string& key, size_t nodeCount, QWidget* parent,
                             monitor::Format format)
    : QDialog(parent) {
    setObjectName("acquireDialog");
    setWindowTitle(tr("Acquire a lock"));
    key_ = new QLineEdit(displayText(key), this);
    key_->setObjectName("acquireKey");
    key_->setPlaceholderText(tr("lock:invoice-42"));
    key_->setToolTip(tr("Bytes that are not text are written \\xHH, as the tables show them."));
    strategy_ = new QComboBox(this);
    strategy_->setObjectName("acquireStrategy");
    for (const auto& s : locks::lockStrategies()) {
        if (s.kind == locks::LockKind::Latch) continue;  // nobody acquires a latch
        const QString id = QString::fromUtf8(s.id.data(), qsizetype(s.id.size()));
        strategy_->addItem(id, id);
        const int i = strategy_->count() - 1;
        QString tip = lockSummary(s);
        if (!s.hazard.empty()) tip += tr("\nHazard: %1").arg(lockHazard(s));
        strategy_->setItemData(i, tip, Qt::ToolTipRole);
        if (nodeCount > 1 && !s.multiNode) {
            // Single-server recipes cannot span a Redlock group.
            strategy_->setItemData(i, 0, Qt::UserRole - 1);  // disables the item
        }
    }
    // The strategy that fits the selected lock (issue 14 round 3: a fair lock offered
    // set-nx-px, which its hash refuses); otherwise the usual default.
    using F = monitor::Format;
    QString fits = QString::fromUtf8(monitor::formatName(format).data(),
                                     qsizetype(monitor::formatName(format).size()));
    if (format == F::RedissonFairLock) fits = "fair";
    if (format == F::RedissonRwLock) fits = "read-write";
    if (format == F::RedissonExpirableSemaphore) fits = "expirable-semaphore";
    if (format == F::RedissonLock) fits = "reentrant";
    const int fitting = strategy_->findData(fits);
    strategy_->setCurrentIndex(
        fitting >= 0 && strategy_->itemData(fitting, Qt::UserRole - 1) != QVariant(0)
            ? fitting
            : std::max(0, strategy_->findData(nodeCount > 1 ? "redlock" : "set-nx-px")));
    mode_ = new QComboBox(this);
    mode_->setObjectName("acquireMode");
    mode_->addItem(tr("write (exclusive)"), false);
    mode_->addItem(tr("read (shared with other readers)"), true);
    permits_ = new QSpinBox(this);
    permits_->setObjectName("acquirePermits");
    permits_->setRange(1, 1'000'000);
    permits_->setToolTip(
        tr("The semaphore's size when this acquire creates it; an existing semaphore keeps its "
           "own."));
    ttl_ = ttlSpinBox(this, 10000);
    ttl_->setObjectName("acquireTtl");
    hold_ = new QCheckBox(tr("Hold with auto-renew until released"), this);
    hold_->setObjectName("acquireHold");
    hold_->setToolTip(
        tr("The dashboard keeps the lease and renews it every TTL/3 (heartbeat and "
           "reentrant renew themselves) until you release it or quit."));
    wait_ = new QSpinBox(this);
    wait_->setObjectName("acquireWait");
    wait_->setRange(0, 60000);
    wait_->setSingleStep(1000);
    wait_->setSuffix(tr(" ms"));
    wait_->setSpecialValueText(tr("do not wait"));
    hint_ = new QLabel(this);
    hint_->setObjectName("acquireHint");
    hint_->setWordWrap(true);

    buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons_->button(QDialogButtonBox::Ok)->setText(tr("Acquire"));
    connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(key_, &QLineEdit::textChanged, this, &AcquireDialog::validate);
    connect(strategy_, &QComboBox::currentIndexChanged, this, &AcquireDialog::validate);

    form_ = new QFormLayout;
    form_->addRow(tr("&Key"), key_);
    form_->addRow(tr("&Strategy"), strategy_);
    form_->addRow(tr("&Mode"), mode_);
    form_->addRow(tr("&Permits"), permits_);
    form_->addRow(tr("&TTL"), ttl_);
    form_->addRow(QString(), hold_);
    form_->addRow(tr("&Wait if busy"), wait_);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form_);
    layout->addWidget(hint_);
    layout->addWidget(buttons_);
    validate();
}

QPushButton* AcquireDialog::okButton() const { return buttons_->button(QDialogButtonBox::Ok); }

void AcquireDialog::validate() {
    QString problem;
    if (key_->text().isEmpty())
        problem = tr("Type the key of the lock.");
    else if (!parseDisplayText(key_->text()))
        problem =
            tr("The key has a broken escape: write a backslash as \\\\ and other bytes as \\xHH.");
    hint_->setText(problem.isEmpty() ? strategy_->currentData(Qt::ToolTipRole).toString()
                                     : problem);
    okButton()->setEnabled(problem.isEmpty());
    // Only the fields the chosen strategy uses: a mode for read-write, a size for semaphores, and
    // no TTL (nor holding) for a plain semaphore, whose permit has no lease.
    const QString id = strategy_->currentData().toString();
    const bool plainPermit = id == "semaphore";
    form_->setRowVisible(mode_, id == "read-write");
    form_->setRowVisible(permits_, plainPermit || id == "expirable-semaphore");
    form_->setRowVisible(ttl_, !plainPermit);
    form_->setRowVisible(hold_, !plainPermit);
}

ActionRequest AcquireDialog::request() const {
    ActionRequest q;
    q.kind = ActionRequest::Kind::Acquire;
    q.key = parseDisplayText(key_->text()).value_or(std::string());
    q.strategy = strategy_->currentData().toString().toStdString();
    const bool plainPermit = q.strategy == "semaphore";
    q.ttlMs = ttl_->value();  // a plain permit has no lease: the TTL goes unused
    q.hold = !plainPermit && hold_->isChecked();
    q.waitMs = wait_->value();
    if (q.strategy == "read-write") q.readMode = mode_->currentData().toBool();
    if (plainPermit || q.strategy == "expirable-semaphore") q.permits = permits_->value();
    return q;
}

// ---------------------------------------------------------------------------------------------

ExtendDialog::ExtendDialog(const monitor::KeyRecord& lock, bool ownLease, QWidget* parent)
    : QDialog(parent), key_(lock.key), holder_(lock.holder) {
    setObjectName("extendDialog");
    setWindowTitle(tr("Extend a lock"));
    ttl_ =
        ttlSpinBox(this, int(std::clamp<long long>(std::max(lock.ttlMs, 10000LL), 1, kMaxTtlMs)));
    ttl_->setObjectName("extendTtl");
    auto* form = new QFormLayout;
    form->addRow(tr("Key"), selectableLabel(displayText(lock.key), this));
    form->addRow(tr("Holder"), selectableLabel(displayText(lock.holder), this));
    form->addRow(tr("New &TTL"), ttl_);
    // An expirable semaphore's holder is its permits: each one's own lease is reset (the key
    // has no TTL), and only if exactly these permits are still taken.
    const bool permits = lock.format == monitor::Format::ExpirableSemaphore ||
                         lock.format == monitor::Format::RedissonExpirableSemaphore;
    const int count = int(std::count(lock.holder.begin(), lock.holder.end(), ',')) + 1;
    auto* note = new QLabel(
        // One permit or several, said in words (it read "only if exactly these 1 permit(s) are
        // still taken").
        permits && count == 1
            ? tr("Resets the lease of the permit shown to the new TTL (the semaphore itself has "
                 "no TTL), only if that permit is still taken. The attempt is logged.")
        : permits ? tr("Resets the lease of each permit shown to the new TTL (the semaphore "
                       "itself has no TTL), only if exactly these %1 permits are still taken. "
                       "The attempt is logged.")
                        .arg(count)
        : ownLease ? tr("This dashboard holds this lease: its TTL is reset.")
                   : tr("Someone else's lock: the TTL is reset only if this holder "
                        "still holds it. The attempt is logged."),
        this);
    note->setObjectName("extendNote");
    note->setWordWrap(true);
    buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons_->button(QDialogButtonBox::Ok)->setText(tr("Extend"));
    connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    guess_ = addGuessCheck(lock, layout, okButton(), this);
    layout->addWidget(buttons_);
}

QPushButton* ExtendDialog::okButton() const { return buttons_->button(QDialogButtonBox::Ok); }

ActionRequest ExtendDialog::request() const {
    ActionRequest q;
    q.kind = ActionRequest::Kind::Extend;
    q.key = key_;
    q.holder = holder_;
    q.ttlMs = ttl_->value();
    q.acceptGuess = guess_ && guess_->isChecked();
    return q;
}

// ---------------------------------------------------------------------------------------------

ForceReleaseDialog::ForceReleaseDialog(
    const monitor::KeyRecord& lock, QWidget* parent,
    const std::unordered_map<std::string, std::string>* holderClients,
    const std::vector<locks::RecordedPermit>* recorded)
    : QDialog(parent),
      key_(lock.key),
      holder_(lock.holder),
      ttlMs_(lock.ttlNow(monitor::Steady::now())),
      lastChange_(lock.lastChange) {
    // A heartbeat whose period was measured is watched for 1.5 periods before it is deleted, so
    // a slow beat (10 s) is not missed; capped at 20 s so the worker is not held for long.
    if (lock.periodMs > 0 && lock.format == monitor::Format::HeartbeatCounter)
        observeMs_ = std::clamp<long long>(lock.periodMs * 3LL / 2,
                                           actions::kDefaultIntegerWatch.count(), 20000);
    setObjectName("forceReleaseDialog");
    setWindowTitle(tr("Force-release a lock"));
    auto* form = new QFormLayout;
    form->addRow(tr("Key"), selectableLabel(displayText(key_), this));
    form->addRow(tr("Format"),
                 new QLabel(QString::fromUtf8(monitor::formatName(lock.format).data()), this));
    auto* holder = selectableLabel(displayText(holder_), this);
    holder->setObjectName("forceReleaseHolder");
    form->addRow(tr("Holder"), holder);
    using monitor::Format;
    const bool permits = lock.format == Format::Semaphore;
    const bool expirable = lock.format == Format::ExpirableSemaphore ||
                           lock.format == Format::RedissonExpirableSemaphore;
    const bool latch = lock.format == Format::Latch;
    // A semaphore or a latch has no TTL by design: say so rather than "no TTL".
    auto* ttl = new QLabel(
        permits || expirable || latch
            ? tr("none (a %1 has no TTL by design)").arg(latch ? tr("latch") : tr("semaphore"))
            : tr("%1 when you opened this").arg(ttlText(ttlMs_)),
        this);
    ttl->setObjectName("forceReleaseTtl");
    form->addRow(tr("TTL"), ttl);
    form->addRow(tr("State"), new QLabel(LockTableModel::stateText(lock), this));
    // Permits and readers are holders of their own: the operator may return one stuck permit (or
    // let one dead reader go) and leave the live ones alone. Each is compared before it goes.
    const bool several =
        lock.format == Format::ExpirableSemaphore ||
        lock.format == Format::RedissonExpirableSemaphore || lock.format == Format::ReadWrite ||
        lock.format == Format::RedissonRwLock || lock.format == Format::SymfonyLock;
    if (several && holder_.find(',') != std::string::npos) {
        which_ = new QComboBox(this);
        which_->setObjectName("forceReleaseWhich");
        std::vector<std::string> ids;
        for (size_t at = 0; at <= holder_.size();) {
            const size_t comma = std::min(holder_.find(',', at), holder_.size());
            ids.push_back(holder_.substr(at, comma - at));
            at = comma + 1;
        }
        // Nothing is chosen until the operator chooses (issue 14 round 3: the default was "all",
        // live holders included). "All" comes last and says that it takes the live ones too.
        which_->addItem(tr("choose one…"), QByteArray());
        for (const auto& id : ids)
            which_->addItem(displayText(id) + whoseText(id, holderClients),
                            QByteArray::fromStdString(id));
        which_->addItem(tr("all %n holders shown (live ones too)", nullptr, int(ids.size())),
                        QByteArray::fromStdString(holder_));
        form->addRow(tr("&Release"), which_);
    } else if (expirable) {
        form->addRow(tr("Whose"), new QLabel(whoseText(holder_, holderClients).mid(3), this));
    }
    const auto seen = locks::parsePlainPermitsHolder(holder_);
    // The tokens LockScope's clients recorded for their permits, each with its process and
    // whether it is still connected: a gone holder's permit can be given back by itself
    // (compare-and-act on the token, as `force-release --holder <token>`; adv14e item 6).
    std::vector<locks::RecordedPermit> gone;
    if (permits && recorded && !recorded->empty()) {
        QStringList lines;
        for (const auto& t : *recorded) {
            lines << displayText(t.token).toHtmlEscaped() + QStringLiteral(" — ") +
                         recordedPermitText(t).toHtmlEscaped();
            if (t.connected && !*t.connected) gone.push_back(t);
        }
        auto* tokens = new QLabel(lines.join(QStringLiteral("<br>")), this);
        tokens->setObjectName("forceReleaseTokens");
        tokens->setTextFormat(Qt::RichText);
        tokens->setWordWrap(true);
        tokens->setTextInteractionFlags(Qt::TextSelectableByMouse);
        form->addRow(tr("Tokens"), tokens);
        if (seen && seen->count > 0 && !gone.empty()) {
            token_ = new QComboBox(this);
            token_->setObjectName("forceReleaseToken");
            token_->addItem(tr("by count: the number of permits below"), QByteArray());
            for (const auto& t : gone)
                token_->addItem(tr("the permit of %1 (host %2, pid %3: gone)")
                                    .arg(displayText(t.token))
                                    .arg(QString::fromStdString(t.host))
                                    .arg(t.pid),
                                QByteArray::fromStdString(t.token));
            form->addRow(tr("Give back &which"), token_);
        }
    }

    // A plain semaphore's permits name no holder: the operator chooses how many leaked.
    if (permits && seen && seen->count > 0) {
        permits_ = new QSpinBox(this);
        permits_->setObjectName("forceReleasePermits");
        permits_->setRange(1, int(std::min<long long>(seen->count, 1'000'000)));
        permits_->setValue(1);
        form->addRow(tr("&Give back"), permits_);
        if (token_)  // a gone holder's token chosen: that one permit, not a count
            connect(token_, &QComboBox::currentIndexChanged, this, [this] {
                permits_->setEnabled(token_->currentData().toByteArray().isEmpty());
            });
    }
    const QString log = QString::fromStdString(auditLogPath()).toHtmlEscaped();
    QString text;
    if (permits) {
        text = tr("<p>Gives back the number of permits chosen above, <b>only if the number "
                  "taken is still %1</b>; otherwise nothing changes and you are told. The "
                  "semaphore itself stays.</p>")
                   .arg(seen ? seen->count : 0);
        // What is true of LockScope's own permits: each one's token is recorded (adv14e item 6).
        if (recorded && !recorded->empty())
            text +=
                tr("<p>LockScope's clients record a token for each permit they take (listed "
                   "above, with whether its holder is still connected). A give-back by count "
                   "takes the tokens of holders that are gone first, so live holders can "
                   "still give theirs back. A permit taken by another client (Redisson) has "
                   "no token: count only what you know leaked, since a live holder whose "
                   "permit is given back keeps working beside one more client.</p>");
        else
            text +=
                tr("<p>No recorded token is known here (LockScope's clients record one for "
                   "each permit they take; a Redisson client's permit has none): the count "
                   "alone does not tell a leaked permit from a live holder's. Give back only "
                   "as many as you know leaked, since a live holder whose permit is given "
                   "back keeps working beside one more client.</p>");
        if (token_)
            text +=
                tr("<p>Or choose a gone holder's token: that one permit is given back, "
                   "<b>only if the token is still recorded</b>.</p>");
        text += tr("<p>Every attempt is logged to %1.</p>").arg(log);
    } else if (expirable)
        text = (which_ ? tr("<p>Returns the permit(s) chosen above to the semaphore: they leave "
                            "the lease set and the free count goes up by one for each permit, "
                            "so a waiter may take one at once.")
                       : tr("<p>Returns permit %1 to the semaphore: it leaves the lease set and "
                            "the free count goes up by one, so a waiter may take it at once.")
                             .arg(displayText(holder_).toHtmlEscaped())) +
               tr(" The semaphore itself stays.</p><p>If its holder is alive it keeps "
                  "working without a permit: only do it when that holder is dead or stuck (a "
                  "dead holder's permit also comes back by itself when its lease runs out).</p>"
                  "<p>Nothing changes if the permit is no longer taken. Every attempt is logged "
                  "to %1.</p>")
                   .arg(log);
    else if (which_)  // a read-write lock's holders: one reader, or all of them
        text = tr("<p>Lets the holder chosen above go, <b>only if it still holds the "
                  "lock</b>: one reader leaves and the other holders keep the lock; the lock is "
                  "deleted only when all holders shown are chosen and they alone still hold "
                  "it.</p><p>A holder that is alive keeps working without its hold: only do it "
                  "when it is dead or stuck. If anything changed, nothing changes and you are "
                  "told. Every attempt is logged to %1.</p>")
                   .arg(log);
    else if (latch)
        text = tr("<p>Opens the latch: its key is deleted and every waiter wakes, <b>only if its "
                  "count is still the one shown above</b>. Count-downs still to come then find "
                  "no latch.</p><p>Every attempt is logged to %1.</p>")
                   .arg(log);
    else
        text = tr("<p>Deleting a lock that is still in use lets a second client in while the "
                  "first one works: only do it when the holder is dead or stuck.</p>"
                  "<p>The lock is deleted <b>only if it is still held by the holder shown "
                  "above</b>. If the holder changed, nothing is deleted and you are told. "
                  "Every attempt is logged to %1.</p>")
                   .arg(log);
    if (lock.format == Format::Fair || lock.format == Format::RedissonFairLock)
        text +=
            tr("<p>A fair lock hands itself on in order: if clients wait in its queue, the "
               "first in line takes it next, not whoever asks first.</p>");
    text_ = new QLabel(text, this);
    text_->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(this);
    confirm_ = buttons->addButton(tr("Force-release"), QDialogButtonBox::AcceptRole);
    confirm_->setObjectName("confirmButton");
    auto* cancel = buttons->addButton(QDialogButtonBox::Cancel);
    // A stray Enter must not delete a lock.
    confirm_->setAutoDefault(false);
    cancel->setDefault(true);
    cancel->setFocus();
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    if (which_) {
        auto chosen = [this] {
            confirm_->setEnabled(!which_->currentData().toByteArray().isEmpty());
        };
        connect(which_, &QComboBox::currentIndexChanged, this, chosen);
        chosen();
    }
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(text_);
    guess_ = addGuessCheck(lock, layout, confirm_, this);
    layout->addWidget(buttons);
}

QString ForceReleaseDialog::shownText() const {
    QString s;
    for (auto* l : findChildren<QLabel*>()) s += l->text() + '\n';
    return s;
}

ActionRequest ForceReleaseDialog::request() const {
    ActionRequest q;
    q.kind = ActionRequest::Kind::ForceRelease;
    q.key = key_;
    q.holder = which_ ? which_->currentData().toByteArray().toStdString() : holder_;
    q.ttlMs = ttlMs_;
    q.observeMs = observeMs_;
    q.acceptGuess = guess_ && guess_->isChecked();
    // Unchanged since the dashboard last saw it change (a lower bound: it followed the lock,
    // by its notifications or by reading it every half second): counted toward the stillness
    // an integer lock must show before it is deleted (actions::kIntegerQuiet).
    if (lastChange_ != monitor::Steady::time_point{})
        q.quietSeenMs =
            std::max<long long>(0, std::chrono::duration_cast<std::chrono::milliseconds>(
                                       monitor::Steady::now() - lastChange_)
                                       .count());
    if (token_ && !token_->currentData().toByteArray().isEmpty()) {
        q.holder = token_->currentData().toByteArray().toStdString();  // that one permit
        return q;
    }
    if (permits_) q.permits = permits_->value();
    return q;
}

// ---------------------------------------------------------------------------------------------

SetCounterDialog::SetCounterDialog(const std::string& key, long long current, QWidget* parent)
    : QDialog(parent), key_(key) {
    setObjectName("setCounterDialog");
    setWindowTitle(tr("Set a counter"));
    value_ = new QLineEdit(QString::number(current), this);
    value_->setObjectName("counterValue");
    value_->setValidator(
        new QRegularExpressionValidator(QRegularExpression("-?[0-9]{0,19}"), value_));
    hint_ = new QLabel(this);
    hint_->setWordWrap(true);
    auto* form = new QFormLayout;
    form->addRow(tr("Counter"), selectableLabel(displayText(key), this));
    form->addRow(tr("Now"), new QLabel(QString::number(current), this));
    form->addRow(tr("New &value"), value_);
    buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons_->button(QDialogButtonBox::Ok)->setText(tr("Set"));
    connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(value_, &QLineEdit::textChanged, this, &SetCounterDialog::validate);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(
        new QLabel(tr("Clients incrementing it meanwhile continue from the new value. "
                      "The change is logged."),
                   this));
    layout->addWidget(hint_);
    layout->addWidget(buttons_);
    validate();
}

QPushButton* SetCounterDialog::okButton() const { return buttons_->button(QDialogButtonBox::Ok); }

void SetCounterDialog::validate() {
    const std::string text = value_->text().toStdString();
    long long v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    const bool ok = !text.empty() && ec == std::errc() && end == text.data() + text.size();
    hint_->setText(ok ? QString()
                      : tr("Type a whole number between %1 and %2.")
                            .arg(std::numeric_limits<long long>::min())
                            .arg(std::numeric_limits<long long>::max()));
    okButton()->setEnabled(ok);
}

ActionRequest SetCounterDialog::request() const {
    ActionRequest q;
    q.kind = ActionRequest::Kind::SetCounter;
    q.key = key_;
    const std::string text = value_->text().toStdString();
    std::from_chars(text.data(), text.data() + text.size(), q.value);
    return q;
}

}  // namespace lockscope::ui
