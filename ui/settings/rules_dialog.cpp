#include "ui/settings/rules_dialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QVBoxLayout>
#include <fstream>
#include <sstream>

namespace lockscope::ui {

RulesDialog::RulesDialog(std::string path, QWidget* parent)
    : QDialog(parent), path_(std::move(path)) {
    setWindowTitle(tr("Lock rules"));
    auto* intro = new QLabel(
        tr("One rule a line: <b>lock GLOB</b> makes matching keys locks whatever their value; "
           "<b>not-lock GLOB</b> keeps them out (it wins). Globs as in Redis's MATCH: * ? [a-z]. "
           "Saved to <code>%1</code>, read by the dashboard and lockscope-cli; applied at once.")
            .arg(QString::fromStdString(path_).toHtmlEscaped()),
        this);
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::RichText);
    editor_ = new QPlainTextEdit(this);
    editor_->setObjectName("rulesEditor");
    editor_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    problems_ = new QLabel(this);
    problems_->setObjectName("rulesProblems");
    problems_->setWordWrap(true);
    buttons_ = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(editor_, 1);
    layout->addWidget(problems_);
    layout->addWidget(buttons_);
    resize(560, 380);

    auto loaded = monitor::loadRulesFile(path_);
    saved_ = loaded.rules;
    std::string text;
    {
        std::ifstream in(path_, std::ios::binary);
        std::ostringstream all;
        if (in) all << in.rdbuf();
        text = all.str();
    }
    editor_->setPlainText(text.empty() ? QString::fromStdString(monitor::formatRules(saved_))
                                       : QString::fromStdString(text));
    connect(editor_, &QPlainTextEdit::textChanged, this, &RulesDialog::check);
    check();
}

void RulesDialog::check() {
    const auto parsed = monitor::parseRules(editor_->toPlainText().toStdString());
    QStringList lines;
    for (const auto& e : parsed.errors) lines << QString::fromStdString(e);
    problems_->setText(lines.isEmpty()
                           ? tr("%n lock rule(s), %1 not-lock rule(s).", nullptr,
                                int(parsed.rules.lockPatterns.size()))
                                 .arg(parsed.rules.notLockPatterns.size())
                           : tr("Not understood (fix or remove): %1").arg(lines.join("; ")));
    buttons_->button(QDialogButtonBox::Save)->setEnabled(lines.isEmpty());
}

void RulesDialog::accept() {
    const QString text = editor_->toPlainText();
    const auto parsed = monitor::parseRules(text.toStdString());
    if (!parsed.errors.empty()) return;
    // The text as the user wrote it — comments, order, blank lines — not the rules re-printed:
    // it is their file. Atomically (QSaveFile: a temp file renamed over it).
    QDir().mkpath(QFileInfo(QString::fromStdString(path_)).absolutePath());
    QSaveFile out(QString::fromStdString(path_));
    QByteArray bytes = text.toUtf8();
    if (!bytes.isEmpty() && !bytes.endsWith('\n')) bytes += '\n';
    if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size() || !out.commit()) {
        problems_->setText(tr("Could not save: %1").arg(out.errorString()));
        return;
    }
    saved_ = parsed.rules;
    QDialog::accept();
}

}  // namespace lockscope::ui
