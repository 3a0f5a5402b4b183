#include "commands.h"

#include "core/annotation/projectfile.h"
#include "core/export/datasetexport.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTextStream>

namespace saccade::cli {

namespace {

constexpr qint64 kFramesPerVideo = 1000000;

// A synthetic project: `segmentCount` accepted segments spread over `videoCount` videos (that need
// not exist; nothing reads them), each labelled with one of `labelCount` labels.
ProjectData syntheticProject(int segmentCount, int videoCount, int labelCount, const QString& folder) {
    ProjectData data;
    data.name = QStringLiteral("bench");
    QStringList names;
    for (int i = 0; i < labelCount; ++i)
        names << QStringLiteral("action %1").arg(i);
    data.labels = LabelSet::fromNames(names).value();
    QRandomGenerator random(23);
    for (int v = 0; v < videoCount; ++v) {
        VideoEntry video;
        video.id = QStringLiteral("video%1").arg(v);
        video.path = folder + QStringLiteral("/videos/") + video.id + QStringLiteral(".mp4");
        video.probe = {1280, 720, 30.0, kFramesPerVideo, kFramesPerVideo / 30.0};
        video.split = static_cast<Split>(2 + v % 3); // train, val, test
        const int count = segmentCount / videoCount + (v < segmentCount % videoCount ? 1 : 0);
        video.segments.reserve(static_cast<size_t>(count));
        for (int s = 0; s < count; ++s) {
            Segment segment;
            segment.id = QStringLiteral("v%1s%2").arg(v).arg(s);
            segment.startFrame = random.bounded(kFramesPerVideo - 300);
            segment.endFrame = segment.startFrame + 1 + random.bounded(299);
            segment.label = names[random.bounded(labelCount)];
            segment.state = SegmentState::Accepted;
            video.segments.push_back(std::move(segment));
        }
        data.videos.push_back(std::move(video));
    }
    return data;
}

struct Timing {
    int segments = 0;
    double saveSeconds = 0;
    double loadSeconds = 0;
    double exportSeconds = 0;
    double total() const { return saveSeconds + loadSeconds + exportSeconds; }
};

Result<Timing> measure(int segments, int videos, int labels, const CancellationToken& cancel) {
    QTemporaryDir folder;
    if (!folder.isValid())
        return Error::io(folder.path(), QStringLiteral("cannot create a temporary folder"));
    const ProjectData data = syntheticProject(segments, videos, labels, folder.path());
    const QString path = folder.filePath(QStringLiteral("bench.saccade"));
    Timing timing;
    timing.segments = segments;
    QElapsedTimer clock;
    clock.start();
    if (Status saved = ProjectFile::save(data, path); !saved)
        return saved.error();
    timing.saveSeconds = clock.nsecsElapsed() / 1e9;
    if (cancel.isCancelled())
        return Error::cancelled();
    clock.restart();
    Result<ProjectData> loaded = ProjectFile::load(path);
    if (!loaded)
        return loaded.error();
    timing.loadSeconds = clock.nsecsElapsed() / 1e9;
    if (cancel.isCancelled())
        return Error::cancelled();
    qsizetype loadedSegments = 0;
    for (const VideoEntry& video : loaded->videos)
        loadedSegments += static_cast<qsizetype>(video.segments.size());
    if (loadedSegments != segments)
        return Error{ErrorCategory::Internal,
                     QStringLiteral("loaded %1 segments of %2").arg(loadedSegments).arg(segments), path};
    ExportOptions options;
    options.format = ExportFormat::Kinetics;
    options.outputDirectory = folder.filePath(QStringLiteral("export"));
    clock.restart();
    Result<ExportSummary> exported = DatasetExport::run(*loaded, options, cancel);
    if (!exported)
        return exported.error();
    timing.exportSeconds = clock.nsecsElapsed() / 1e9;
    return timing;
}

} // namespace

int runBenchProject(CliContext& context) {
    const QString command = QStringLiteral("bench project");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Time saving, loading and exporting (Kinetics CSV) a synthetic project, for each segment count "
        "given (the fastest of --runs runs of each, so that other work on the machine counts less); the "
        "last column compares each total with the first count's, against linear growth."));
    parser.addOption({QStringLiteral("segments"),
                      QStringLiteral("Segment counts, comma-separated (default 20000,200000)."),
                      QStringLiteral("N[,N...]"), QStringLiteral("20000,200000")});
    parser.addOption({QStringLiteral("videos"),
                      QStringLiteral("Videos the segments are spread over (default 20)."),
                      QStringLiteral("V"), QStringLiteral("20")});
    parser.addOption({QStringLiteral("labels"), QStringLiteral("Labels in the project (default 400)."),
                      QStringLiteral("L"), QStringLiteral("400")});
    parser.addOption({QStringLiteral("runs"),
                      QStringLiteral("Runs per count; the fastest is kept (default 3)."), QStringLiteral("R"),
                      QStringLiteral("3")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    if (!parseArguments(parser, command, context))
        return parser.isSet(QStringLiteral("help")) ? kExitOk : kExitUsage;
    std::vector<int> counts;
    for (const QString& text : parser.value(QStringLiteral("segments")).split(QLatin1Char(','))) {
        bool ok = false;
        const int count = text.trimmed().toInt(&ok);
        if (!ok || count < 1 || count > 50000000)
            return reportUsage(command, QStringLiteral("--segments must list counts from 1 to 50,000,000"));
        counts.push_back(count);
    }
    bool videosOk = false;
    bool labelsOk = false;
    const int videos = parser.value(QStringLiteral("videos")).toInt(&videosOk);
    const int labels = parser.value(QStringLiteral("labels")).toInt(&labelsOk);
    bool runsOk = false;
    const int runs = parser.value(QStringLiteral("runs")).toInt(&runsOk);
    if (!videosOk || !labelsOk || !runsOk || videos < 1 || labels < 1 || labels > 1000000 || runs < 1)
        return reportUsage(command, QStringLiteral("--videos, --labels and --runs must be positive"));

    const bool json = parser.isSet(QStringLiteral("json"));
    QTextStream out(stdout);
    if (!json)
        out << QStringLiteral("%1 %2 %3 %4 %5 %6\n")
                   .arg(QStringLiteral("segments"), 10)
                   .arg(QStringLiteral("save s"), 9)
                   .arg(QStringLiteral("load s"), 9)
                   .arg(QStringLiteral("export s"), 9)
                   .arg(QStringLiteral("total s"), 9)
                   .arg(QStringLiteral("x first (linear)"), 18)
            << Qt::flush;
    QJsonArray rows;
    double firstTotal = 0;
    for (int count : counts) {
        if (context.cancel.isCancelled())
            return reportError(Error::cancelled());
        Result<Timing> timing = Error::cancelled();
        for (int run = 0; run < runs; ++run) {
            Result<Timing> measured = measure(count, std::min(videos, count), labels, context.cancel);
            if (!measured)
                return reportError(measured.error());
            if (!timing || measured->total() < timing->total())
                timing = measured;
        }
        if (firstTotal == 0)
            firstTotal = timing->total();
        const double ratio = firstTotal > 0 ? timing->total() / firstTotal : 0;
        const double linear = double(count) / counts.front();
        rows.append(QJsonObject{{QStringLiteral("segments"), count},
                                {QStringLiteral("save_seconds"), timing->saveSeconds},
                                {QStringLiteral("load_seconds"), timing->loadSeconds},
                                {QStringLiteral("export_seconds"), timing->exportSeconds},
                                {QStringLiteral("total_seconds"), timing->total()},
                                {QStringLiteral("ratio_to_first"), ratio}});
        if (!json)
            out << QStringLiteral("%1 %2 %3 %4 %5 %6\n")
                       .arg(count, 10)
                       .arg(timing->saveSeconds, 9, 'f', 3)
                       .arg(timing->loadSeconds, 9, 'f', 3)
                       .arg(timing->exportSeconds, 9, 'f', 3)
                       .arg(timing->total(), 9, 'f', 3)
                       .arg(QStringLiteral("%1 (%2)").arg(ratio, 0, 'f', 2).arg(linear, 0, 'f', 0), 18)
                << Qt::flush;
    }
    if (json)
        printJson(QJsonDocument(QJsonObject{{QStringLiteral("rows"), rows}}));
    return kExitOk;
}

} // namespace saccade::cli
