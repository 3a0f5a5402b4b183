#include "commands.h"

#include <QCoreApplication>

namespace saccade::cli {

int runVersion(CliContext& context) {
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Print the version."));
    if (!parseArguments(parser, QStringLiteral("version"), context))
        return kExitUsage;
    printLine(QStringLiteral("saccade-cli %1 (Qt %2)")
                  .arg(QCoreApplication::applicationVersion(), QString::fromLatin1(qVersion())));
    return kExitOk;
}

} // namespace saccade::cli
