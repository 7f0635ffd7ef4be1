#include "ui/common/translations.h"

#include <QCoreApplication>
#include <QDir>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTranslator>

// qt_add_translations embeds the .qm files into this static library; its initialiser must be
// referenced, outside any namespace, for the resources to be linked in.
static void initTranslationResources() { Q_INIT_RESOURCE(lockscope_ui_translations); }

namespace lockscope::ui {
namespace {

constexpr auto kKey = "ui/language";
constexpr auto kQmDir = ":/i18n";

}  // namespace

QString languageSetting() { return QSettings().value(kKey).toString(); }

void setLanguageSetting(const QString& language) {
    if (language.isEmpty())
        QSettings().remove(kKey);
    else
        QSettings().setValue(kKey, language);
}

QStringList shippedLanguages() {
    initTranslationResources();
    QStringList names;
    for (const QString& f : QDir(kQmDir).entryList({"lockscope_*.qm"}, QDir::Files, QDir::Name))
        names << f.mid(int(qstrlen("lockscope_")), f.size() - int(qstrlen("lockscope_.qm")));
    return names;
}

QString installTranslations(QCoreApplication& app) {
    initTranslationResources();
    const QString setting = languageSetting();
    if (setting == "en") return {};
    // The system's ui languages in order of preference ("zh-Hans-CN", "zh-CN", "zh", ...).
    const QLocale locale = setting.isEmpty() ? QLocale::system() : QLocale(setting);
    auto* own = new QTranslator(&app);
    if (!own->load(locale, "lockscope", "_", kQmDir)) {
        delete own;
        return {};
    }
    QCoreApplication::installTranslator(own);
    // Qt's own strings (the standard buttons, the file dialog); missing in a minimal install,
    // where those stay in English.
    auto* qt = new QTranslator(&app);
    if (qt->load(locale, "qtbase", "_", QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    else
        delete qt;
    QLocale::setDefault(locale);
    return own->language();
}

}  // namespace lockscope::ui
