// lockscope-cli: everything lives in the lockscope_cli library (cli/); this only hands it the
// dashboard's saved connections (--profile, `profiles`).
#include <QCoreApplication>
#include <iostream>

#include "app/cli/saved_profiles.h"
#include "cli/cli.h"

int main(int argc, char** argv) {
    // The dashboard's QSettings file (app/dashboard/main.cpp names it the same): one store.
    QCoreApplication::setOrganizationName("LockScope");
    QCoreApplication::setApplicationName("lockscope");
    lockscope::app::SavedProfiles profiles(argc, argv);
    lockscope::cli::setProfileStore(&profiles);
    return lockscope::cli::run(argc, argv, std::cout, std::cerr);
}
