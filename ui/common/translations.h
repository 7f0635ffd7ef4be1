// The dashboard's language: its own translations (resources/translations/*.ts, compiled into the
// library) and Qt's for its standard dialogs (qtbase_<lang>.qm from qt6-translations-l10n), picked
// by Settings > Language or, by default, by the system locale (LANG / LC_MESSAGES / LANGUAGE).
// A change of the setting takes effect on the next start.
//
// Thread contract: GUI thread, before the first widget is built.
#pragma once

#include <QString>
#include <QStringList>

class QCoreApplication;

namespace lockscope::ui {

// The setting's values: "" follows the system, "en" is English, else a translation's locale name.
QString languageSetting();
void setLanguageSetting(const QString& language);
// The translations the dashboard ships ("zh_CN", ...), as the Settings menu offers them.
QStringList shippedLanguages();
// Installs the translators the setting (or the system locale) asks for on `app`; returns the
// locale name in force, or "" for English.
QString installTranslations(QCoreApplication& app);

}  // namespace lockscope::ui
