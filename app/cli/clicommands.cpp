#include "clicommands.h"

#include "commands/commands.h"

namespace saccade::cli {

const std::vector<CliCommand>& cliCommands() {
    static const std::vector<CliCommand> commands = {
        {QStringLiteral("version"), QStringLiteral("Print the version and the libraries in use"), runVersion},
    };
    return commands;
}

} // namespace saccade::cli
