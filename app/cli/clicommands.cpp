#include "clicommands.h"

#include "commands/commands.h"

namespace saccade::cli {

const std::vector<CliCommand>& cliCommands() {
    static const std::vector<CliCommand> commands = {
        {QStringLiteral("version"), QStringLiteral("Print the version and the libraries in use"), runVersion},
        {QStringLiteral("demo-video"), QStringLiteral("Render the synthetic demo video and its true segments"),
         runDemoVideo},
    };
    return commands;
}

} // namespace saccade::cli
