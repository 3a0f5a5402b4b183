#include "commands.h"

#include "core/model/timesformerconfig.h"
#include "ui/plots/scalingplot.h"

#include <QCoreApplication>
#include <QDir>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QSaveFile>
#include <QTextStream>

#include <set>

namespace saccade::cli {

namespace {

// Joint attention holds the scores, the probabilities and a matmul temporary of (heads, S, S) floats.
double jointAttentionBytes(const TimeSformerConfig& config, int frames, int size) {
    const double tokens =
        1.0 + static_cast<double>(size / config.patchSize) * (size / config.patchSize) * frames;
    return 3.0 * config.numHeads * tokens * tokens * sizeof(float);
}

constexpr double kMemoryCapBytes = 20.0 * 1024 * 1024 * 1024;

} // namespace

int runBenchScaling(CliContext& context) {
    const QString command = QStringLiteral("bench scaling");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Divided vs joint space-time attention (base model, random weights): time and memory per "
        "view over frames (at 224 px) and sizes (at 8 frames), as in the paper's Fig. 3. Each "
        "point runs in its own process with --layers blocks (one untimed run first); time is scaled to the "
        "12 blocks of "
        "the base model and memory adds the weights of the blocks not run. Joint points whose "
        "attention would exceed 20 GiB are marked OOM without running."));
    parser.addOption({QStringLiteral("out"),
                      QStringLiteral("Folder for scaling.csv, scaling.json, scaling.png."),
                      QStringLiteral("DIR"), QStringLiteral("bench-scaling")});
    parser.addOption(
        {QStringLiteral("full"), QStringLiteral("Every frames x size combination instead of the two "
                                                "axes of the figure.")});
    parser.addOption({QStringLiteral("layers"), QStringLiteral("Blocks actually run per point (default 1)."),
                      QStringLiteral("K"), QStringLiteral("1")});
    parser.addOption({QStringLiteral("runs"), QStringLiteral("Timed runs per point (default 1)."),
                      QStringLiteral("N"), QStringLiteral("1")});
    if (!parseArguments(parser, command, context))
        return kExitUsage;
    bool layersOk = false;
    bool runsOk = false;
    const int layers = parser.value(QStringLiteral("layers")).toInt(&layersOk);
    const int runs = parser.value(QStringLiteral("runs")).toInt(&runsOk);
    if (!layersOk || !runsOk || layers < 1 || layers > 12 || runs < 1)
        return reportUsage(command, QStringLiteral("--layers must be 1..12 and --runs positive"));

    const TimeSformerConfig base = *TimeSformerConfig::preset(QStringLiteral("base"));
    const std::vector<int> frameAxis = {8, 16, 32, 64, 96};
    const std::vector<int> sizeAxis = {224, 336, 448};
    std::set<std::pair<int, int>> grid;
    for (int frames : frameAxis) {
        for (int size : sizeAxis) {
            if (parser.isSet(QStringLiteral("full")) || size == 224 || frames == 8)
                grid.insert({frames, size});
        }
    }

    const QString out = parser.value(QStringLiteral("out"));
    if (!QDir().mkpath(out))
        return reportError(Error::io(out, QStringLiteral("cannot create the directory")));
    std::vector<ScalingPoint> points;
    QTextStream stream(stdout);
    stream << QStringLiteral("%1 %2 %3 %4 %5\n")
                  .arg(QStringLiteral("attention"), -20)
                  .arg(QStringLiteral("frames"), 7)
                  .arg(QStringLiteral("size"), 5)
                  .arg(QStringLiteral("ms/view"), 10)
                  .arg(QStringLiteral("memory MiB"), 11);
    for (AttentionType type : {AttentionType::DividedSpaceTime, AttentionType::JointSpaceTime}) {
        TimeSformerConfig config = base;
        config.attentionType = type;
        for (const auto& [frames, size] : grid) {
            if (context.cancel.isCancelled())
                return reportError(Error::cancelled());
            ScalingPoint point;
            point.attention = attentionTypeName(type);
            point.frames = frames;
            point.size = size;
            if (type == AttentionType::JointSpaceTime &&
                jointAttentionBytes(config, frames, size) > kMemoryCapBytes) {
                point.outOfMemory = true;
            } else {
                QProcess child;
                child.setProcessChannelMode(QProcess::SeparateChannels);
                child.start(QCoreApplication::applicationFilePath(),
                            {QStringLiteral("bench"), QStringLiteral("model"), QStringLiteral("--preset"),
                             QStringLiteral("base"), QStringLiteral("--attention"), point.attention,
                             QStringLiteral("--frames"), QString::number(frames), QStringLiteral("--size"),
                             QString::number(size), QStringLiteral("--layers"), QString::number(layers),
                             QStringLiteral("--runs"), QString::number(runs), QStringLiteral("--warmup"),
                             QStringLiteral("1"), QStringLiteral("--json")});
                while (!child.waitForFinished(200)) {
                    if (child.state() == QProcess::NotRunning)
                        break;
                    if (context.cancel.isCancelled()) {
                        child.kill();
                        child.waitForFinished();
                        return reportError(Error::cancelled());
                    }
                }
                const QJsonObject json = QJsonDocument::fromJson(child.readAllStandardOutput()).object();
                if (child.exitStatus() != QProcess::NormalExit || child.exitCode() != 0 || json.isEmpty()) {
                    // A child killed by the kernel's OOM killer or failing to allocate counts as out of
                    // memory.
                    point.outOfMemory = true;
                } else {
                    TimeSformerConfig measured = config;
                    measured.depth = layers;
                    const double missingWeightsMb =
                        static_cast<double>(config.parameterCount() - measured.parameterCount()) *
                        sizeof(float) / (1024.0 * 1024.0);
                    point.msPerView =
                        json.value(QLatin1String("ms_per_view")).toDouble() * config.depth / layers;
                    point.memoryMb = json.value(QLatin1String("peak_rss_mb")).toDouble() + missingWeightsMb;
                }
            }
            stream << QStringLiteral("%1 %2 %3 %4 %5\n")
                          .arg(point.attention, -20)
                          .arg(point.frames, 7)
                          .arg(point.size, 5)
                          .arg(point.outOfMemory ? QStringLiteral("OOM")
                                                 : QString::number(point.msPerView, 'f', 0),
                               10)
                          .arg(point.outOfMemory ? QStringLiteral("OOM")
                                                 : QString::number(point.memoryMb, 'f', 0),
                               11);
            stream.flush();
            points.push_back(point);
        }
    }

    QString csv = QStringLiteral("attention,frames,size,ms_per_view,memory_mb,oom\n");
    QJsonArray array;
    for (const ScalingPoint& point : points) {
        csv += QStringLiteral("%1,%2,%3,%4,%5,%6\n")
                   .arg(point.attention)
                   .arg(point.frames)
                   .arg(point.size)
                   .arg(point.msPerView, 0, 'f', 1)
                   .arg(point.memoryMb, 0, 'f', 1)
                   .arg(point.outOfMemory ? 1 : 0);
        array.append(QJsonObject{{QStringLiteral("attention"), point.attention},
                                 {QStringLiteral("frames"), point.frames},
                                 {QStringLiteral("size"), point.size},
                                 {QStringLiteral("ms_per_view"), point.msPerView},
                                 {QStringLiteral("memory_mb"), point.memoryMb},
                                 {QStringLiteral("oom"), point.outOfMemory}});
    }
    const QDir dir(out);
    for (const auto& [name, bytes] :
         {std::pair<QString, QByteArray>{QStringLiteral("scaling.csv"), csv.toUtf8()},
          std::pair<QString, QByteArray>{QStringLiteral("scaling.json"),
                                         QJsonDocument(QJsonObject{{QStringLiteral("layers_run"), layers},
                                                                   {QStringLiteral("points"), array}})
                                             .toJson()}}) {
        QSaveFile file(dir.filePath(name));
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
            return reportError(Error::io(dir.filePath(name), file.errorString()));
    }
    printLine(
        QStringLiteral("wrote %1 and %2")
            .arg(dir.filePath(QStringLiteral("scaling.csv")), dir.filePath(QStringLiteral("scaling.json"))));
    const Status plotted = saveScalingPlot(dir.filePath(QStringLiteral("scaling.png")), points);
    if (plotted.ok())
        printLine(QStringLiteral("wrote %1").arg(dir.filePath(QStringLiteral("scaling.png"))));
    else
        QTextStream(stderr) << "saccade-cli bench scaling: no plot: " << plotted.error().toString() << '\n';
    return kExitOk;
}

} // namespace saccade::cli
