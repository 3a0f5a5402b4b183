#include "clicommands.h"

#include "core/util/lastresort.h"

#include <QApplication>
#include <QTextStream>

#include <algorithm>
#include <csignal>
#include <memory>
#include <unistd.h>

namespace {

using saccade::cli::CliCommand;
using saccade::cli::cliCommands;

// The signal handler may only touch a lock-free flag; the token is reachable from it through this.
saccade::CancellationToken* g_interruptToken = nullptr;
volatile std::sig_atomic_t g_interrupted = 0;
// Commands check the token between steps; one that is stuck in a step that does not is ended this
// long after the first signal, and at once by a second one. Files are written atomically and exports
// committed through a journal, so ending mid-write loses nothing that was complete.
constexpr unsigned kGraceSeconds = 3;

[[noreturn]] void exitInterrupted() {
    static const char message[] = "saccade-cli: interrupted\n";
    (void)!::write(STDERR_FILENO, message, sizeof(message) - 1);
    ::_exit(saccade::cli::kExitCancelled);
}

void onAlarm(int) {
    exitInterrupted();
}

void onInterrupt(int) {
    if (g_interrupted)
        exitInterrupted();
    g_interrupted = 1;
    if (g_interruptToken)
        g_interruptToken->cancel();
    ::alarm(kGraceSeconds);
}

void installSignalHandlers() {
    struct sigaction action {};
    sigemptyset(&action.sa_mask);
    // No SA_RESTART: a blocking system call returns EINTR, so the step notices the token sooner.
    action.sa_handler = onInterrupt;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    action.sa_handler = onAlarm;
    sigaction(SIGALRM, &action, nullptr);
}

void printUsage(QTextStream& stream) {
    stream << "Usage: saccade-cli COMMAND [ARGS...]\n\n"
           << "Look inside a video transformer while labeling video (headless tools).\n\n"
           << "Commands:\n";
    qsizetype nameWidth = 0;
    for (const CliCommand& command : cliCommands())
        nameWidth = std::max(nameWidth, command.name.size());
    for (const CliCommand& command : cliCommands())
        stream << "  " << command.name.leftJustified(nameWidth + 2) << command.summary << '\n';
    stream << "\nRun 'saccade-cli COMMAND --help' for the options of one command.\n";
}

// Commands are one word, or two for families such as "bench decode".
const CliCommand* findCommand(const QStringList& words, int* consumed) {
    for (int count = 2; count >= 1; --count) {
        if (words.size() < count)
            continue;
        const QString name = words.mid(0, count).join(QLatin1Char(' '));
        for (const CliCommand& command : cliCommands()) {
            if (command.name == name) {
                *consumed = count;
                return &command;
            }
        }
    }
    return nullptr;
}

// A family's name alone ("project", "bench") lists its commands: with --help as the answer, otherwise
// as a usage error; anything else is an unknown command.
int reportFamilyOrUnknown(const QStringList& words, QTextStream& out, QTextStream& err) {
    const QString family = words.first() + QLatin1Char(' ');
    QStringList members;
    qsizetype nameWidth = 0;
    for (const CliCommand& command : cliCommands())
        if (command.name.startsWith(family)) {
            members << command.name;
            nameWidth = std::max(nameWidth, command.name.size());
        }
    if (members.isEmpty()) {
        err << "saccade-cli: unknown command '" << words.first() << "'\n";
        printUsage(err);
        return saccade::cli::kExitUsage;
    }
    const bool help =
        words.size() >= 2 && (words[1] == QLatin1String("--help") || words[1] == QLatin1String("-h"));
    QTextStream& stream = help ? out : err;
    if (!help)
        stream << "saccade-cli: '" << words.mid(0, 2).join(QLatin1Char(' ')) << "' is not a command; "
               << words.first() << " has these:\n";
    for (const CliCommand& command : cliCommands())
        if (command.name.startsWith(family))
            stream << "  " << command.name.leftJustified(nameWidth + 2) << command.summary << '\n';
    stream << "\nRun 'saccade-cli " << words.first() << " COMMAND --help' for the options of one command.\n";
    return help ? saccade::cli::kExitOk : saccade::cli::kExitUsage;
}

// Commands that draw (plots with QCustomPlot) need a QApplication; they render offscreen unless a
// platform was chosen, so they also work on machines without a display.
std::unique_ptr<QCoreApplication> makeApplication(int& argc, char* argv[]) {
    QStringList words;
    for (int i = 1; i < argc; ++i)
        words << QString::fromLocal8Bit(argv[i]);
    int consumed = 0;
    const CliCommand* command = findCommand(words, &consumed);
    if (command && command->needsGui) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        return std::make_unique<QApplication>(argc, argv);
    }
    return std::make_unique<QCoreApplication>(argc, argv);
}

} // namespace

int main(int argc, char* argv[]) {
    saccade::installLastResortHandler("saccade-cli");
    const std::unique_ptr<QCoreApplication> app = makeApplication(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("saccade"));
    QCoreApplication::setOrganizationName(QStringLiteral("saccade"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SACCADE_VERSION));

    QStringList words = QCoreApplication::arguments().mid(1);
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (words.isEmpty() || words.first() == QLatin1String("--help") || words.first() == QLatin1String("-h")) {
        printUsage(words.isEmpty() ? err : out);
        return words.isEmpty() ? saccade::cli::kExitUsage : saccade::cli::kExitOk;
    }
    if (words.first() == QLatin1String("--version")) {
        out << "saccade-cli " << SACCADE_VERSION << '\n';
        return saccade::cli::kExitOk;
    }

    int consumed = 0;
    const CliCommand* command = findCommand(words, &consumed);
    if (!command)
        return reportFamilyOrUnknown(words, out, err);

    saccade::cli::CliContext context;
    context.arguments = words.mid(consumed);
    g_interruptToken = &context.cancel;
    installSignalHandlers();
    int code = saccade::cli::kExitFailure;
    try {
        code = command->run(context);
    } catch (...) {
        // Parsers bound what they allocate; this is the last resort for anything that still escapes.
        err << "saccade-cli: " << saccade::describeCurrentException() << '\n';
        return saccade::cli::kExitFailure;
    }
    g_interruptToken = nullptr;
    return context.helpShown ? saccade::cli::kExitOk : code;
}
