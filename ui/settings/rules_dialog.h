// Settings → Lock rules: the user's rules (docs/rules.md) as the rules file holds them, edited as
// text, checked as they are typed (a line that cannot be read is named), saved to the rules file
// and handed to the running monitor at once (no reconnect).
//
// Thread contract: GUI thread. Reading and writing the small rules file happens on it (a local
// file, like QSettings'); no Redis I/O.
#pragma once

#include <QDialog>
#include <string>

#include "monitor/rules.h"

class QLabel;
class QPlainTextEdit;
class QDialogButtonBox;

namespace lockscope::ui {

class RulesDialog : public QDialog {
    Q_OBJECT
public:
    // `path`: the rules file (monitor::rulesFilePath() in the dashboard; a temp file in tests).
    explicit RulesDialog(std::string path, QWidget* parent = nullptr);

    // The rules as last saved (valid after accept()).
    const monitor::LockRules& rules() const { return saved_; }
    QPlainTextEdit* editor() const { return editor_; }
    QLabel* problems() const { return problems_; }
    QDialogButtonBox* buttons() const { return buttons_; }

    void accept() override;

private:
    void check();

    const std::string path_;
    QPlainTextEdit* editor_;
    QLabel* problems_;
    QDialogButtonBox* buttons_;
    monitor::LockRules saved_;
};

}  // namespace lockscope::ui
