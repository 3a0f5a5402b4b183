#pragma once

#include "cliutil.h"

#include <vector>

namespace saccade::cli {

using CommandFunction = int (*)(CliContext& context);

/// One subcommand: its words ("probe", or "bench decode"), a one-line summary, and its entry point.
struct CliCommand {
    QString name;
    QString summary;
    CommandFunction run = nullptr;
    /// Draws with widgets (QCustomPlot), so it runs under a QApplication.
    bool needsGui = false;
};

/// Every subcommand, in the order `saccade-cli --help` lists them.
const std::vector<CliCommand>& cliCommands();

} // namespace saccade::cli
