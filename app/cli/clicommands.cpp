#include "clicommands.h"

#include "commands/commands.h"

namespace saccade::cli {

const std::vector<CliCommand>& cliCommands() {
    static const std::vector<CliCommand> commands = {
        {QStringLiteral("version"), QStringLiteral("Print the version and the libraries in use"), runVersion},
        {QStringLiteral("probe"), QStringLiteral("Describe a video file (codec, size, rotation, exact frame count)"), runProbe},
        {QStringLiteral("frames"), QStringLiteral("Write chosen frames of a video as PNG files, frame-exactly"), runFrames},
        {QStringLiteral("bench decode"), QStringLiteral("Measure decoding speed, seek latency and memory against the ffmpeg CLI"), runBenchDecode},
        {QStringLiteral("demo-video"), QStringLiteral("Render the synthetic demo video and its true segments"),
         runDemoVideo},
    };
    return commands;
}

} // namespace saccade::cli
