#include "cliutil.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

namespace saccade::cli {

bool parseArguments(QCommandLineParser& parser, const QString& command, CliContext& context) {
    parser.addHelpOption();
    QStringList arguments = context.arguments;
    arguments.prepend(QStringLiteral("saccade-cli ") + command);
    if (!parser.parse(arguments)) {
        reportUsage(command, parser.errorText());
        return false;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        // Qt names the program by its path; the usage line should name the command as it is typed.
        QString help = parser.helpText();
        const int usageEnd = help.indexOf(QLatin1Char('\n'));
        QString usage = help.left(usageEnd);
        usage.replace(QCoreApplication::arguments().value(0), QStringLiteral("saccade-cli ") + command);
        help.replace(0, usageEnd, usage);
        QTextStream(stdout) << help;
        context.helpShown = true;
        return false;
    }
    return true;
}

int reportError(const Error& error) {
    QTextStream(stderr) << "saccade-cli: " << error.toString() << '\n';
    return error.category == ErrorCategory::Cancelled ? kExitCancelled : kExitFailure;
}

int reportUsage(const QString& command, const QString& message) {
    QTextStream(stderr) << "saccade-cli " << command << ": " << message << '\n'
                        << "Try 'saccade-cli " << command << " --help'.\n";
    return kExitUsage;
}

void printLine(const QString& text) {
    QTextStream(stdout) << text << '\n';
}

void printJson(const QJsonDocument& document) {
    const QByteArray json = document.toJson(QJsonDocument::Indented);
    std::fwrite(json.constData(), 1, static_cast<size_t>(json.size()), stdout);
    std::fflush(stdout);
}

} // namespace saccade::cli
