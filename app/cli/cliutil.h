#pragma once

#include "core/util/cancellationtoken.h"
#include "core/util/error.h"

#include <QCommandLineParser>
#include <QJsonDocument>
#include <QStringList>

namespace saccade::cli {

/// What every subcommand gets: its arguments (without the command words) and the token that Ctrl+C sets.
struct CliContext {
    QStringList arguments;
    CancellationToken cancel;
    /// Set when the command printed its --help, so the program exits 0 whatever the command returns.
    bool helpShown = false;
};

/// Exit codes shared by all subcommands.
enum ExitCode { kExitOk = 0, kExitFailure = 1, kExitUsage = 2, kExitCancelled = 130 };

/// Parses `context.arguments` (prefixed with the command name for messages); prints the usage error
/// and returns false when they do not fit.
bool parseArguments(QCommandLineParser& parser, const QString& command, CliContext& context);

/// Prints "saccade-cli: <error>" to stderr and returns the matching exit code.
int reportError(const Error& error);
int reportUsage(const QString& command, const QString& message);

void printLine(const QString& text);
void printJson(const QJsonDocument& document);

} // namespace saccade::cli
