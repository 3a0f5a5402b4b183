#include "commands.h"

#include "core/annotation/projectfile.h"
#include "core/annotation/splitassigner.h"
#include "core/export/datasetexport.h"
#include "core/export/mediaclipcutting.h"

#include <QTextStream>

namespace saccade::cli {

int runExport(CliContext& context) {
    const QString command = QStringLiteral("export");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Export a project as a dataset (accepted and edited segments; a saccade-export.json manifest "
        "is written beside it). Files appear all at once when the export succeeds; the project is not "
        "changed."));
    parser.addPositionalArgument(QStringLiteral("PROJECT"), QStringLiteral("The project file."));
    parser.addOption({QStringLiteral("format"),
                      QStringLiteral("kinetics, slowfast, activitynet, cvat, labelstudio or ava."),
                      QStringLiteral("FORMAT")});
    parser.addOption({QStringLiteral("out"), QStringLiteral("Output folder (created if missing)."),
                      QStringLiteral("DIR")});
    parser.addOption(
        {QStringLiteral("cut-clips"),
         QStringLiteral("Cut a clip per segment: reencode (frame-exact H.264) or copy (fast stream copy; "
                        "a clip starts at the key frame at or before the segment's start, up to a GOP "
                        "early, and may end a frame or two late). slowfast always cuts (reencode by "
                        "default)."),
         QStringLiteral("MODE")});
    parser.addOption({QStringLiteral("include-proposals"), QStringLiteral("Export model proposals too.")});
    parser.addOption(
        {QStringLiteral("split"),
         QStringLiteral("Assign splits for this export, e.g. train=0.8,val=0.1,test=0.1 (stratified "
                        "by label, grouped by video)."),
         QStringLiteral("RATIOS")});
    parser.addOption({QStringLiteral("media-root"),
                      QStringLiteral("labelstudio: the local-files document root (LOCAL_FILES_DOCUMENT_ROOT) "
                                     "the videos are given relative to (default: the deepest folder "
                                     "holding them all)."),
                      QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("media-url"),
                      QStringLiteral("labelstudio: a URL serving the media root; videos become URL/PATH "
                                     "instead of local-files paths."),
                      QStringLiteral("URL")});
    parser.addOption({QStringLiteral("seed"), QStringLiteral("Seed of the split assignment (default 0)."),
                      QStringLiteral("S"), QStringLiteral("0")});
    if (!parseArguments(parser, command, context))
        return parser.isSet(QStringLiteral("help")) ? kExitOk : kExitUsage;
    if (parser.positionalArguments().size() != 1)
        return reportUsage(command, QStringLiteral("expected exactly one PROJECT"));
    if (!parser.isSet(QStringLiteral("format")) || !parser.isSet(QStringLiteral("out")))
        return reportUsage(command, QStringLiteral("--format and --out are required"));
    ExportOptions options;
    const auto format = exportFormatFromName(parser.value(QStringLiteral("format")));
    if (!format)
        return reportUsage(command,
                           QStringLiteral("unknown format '%1'").arg(parser.value(QStringLiteral("format"))));
    options.format = *format;
    options.outputDirectory = parser.value(QStringLiteral("out"));
    options.includeProposals = parser.isSet(QStringLiteral("include-proposals"));
    if (parser.isSet(QStringLiteral("cut-clips"))) {
        const auto mode = clipModeFromName(parser.value(QStringLiteral("cut-clips")));
        if (!mode || *mode == ClipMode::None)
            return reportUsage(command, QStringLiteral("--cut-clips must be copy or reencode"));
        options.clipMode = *mode;
    } else if (options.format == ExportFormat::SlowFast) {
        options.clipMode = ClipMode::Reencode;
    }
    options.mediaRoot = parser.value(QStringLiteral("media-root"));
    options.mediaUrl = parser.value(QStringLiteral("media-url"));
    if (options.mediaRoot.isEmpty() && !options.mediaUrl.isEmpty())
        return reportUsage(command, QStringLiteral("--media-url needs --media-root (the folder it serves)"));
    if (options.clipMode != ClipMode::None)
        options.cutClip = cutClipWithMediaEngine;
    bool seedOk = false;
    const quint64 seed = parser.value(QStringLiteral("seed")).toULongLong(&seedOk);
    if (!seedOk)
        return reportUsage(command, QStringLiteral("--seed must be a non-negative whole number"));

    auto data = ProjectFile::load(parser.positionalArguments().constFirst());
    if (!data)
        return reportError(data.error());
    if (parser.isSet(QStringLiteral("split"))) {
        auto ratios = SplitRatios::parse(parser.value(QStringLiteral("split")));
        if (!ratios)
            return reportUsage(command, ratios.error().message);
        auto splits = SplitAssigner::assign(*data, *ratios, seed);
        if (!splits)
            return reportError(splits.error());
        for (VideoEntry& video : data->videos)
            video.split = splits->value(video.id, Split::Unassigned);
    }
    QTextStream err(stderr);
    int lastPercent = -1;
    auto progress = [&err, &lastPercent](double fraction) {
        const int percent = static_cast<int>(fraction * 100.0);
        if (percent / 10 != lastPercent / 10) {
            err << "\rexporting: " << percent << "%" << Qt::flush;
            lastPercent = percent;
        }
    };
    auto summary = DatasetExport::run(*data, options, context.cancel, progress);
    if (lastPercent >= 0)
        err << '\n' << Qt::flush;
    if (!summary)
        return reportError(summary.error());
    for (const QString& warning : std::as_const(summary->warnings))
        err << "warning: " << warning << '\n';
    err << Qt::flush;
    for (const QString& note : std::as_const(summary->notes))
        printLine(note);
    printLine(QStringLiteral("exported %1 segments as %2 to %3 (%4 files)")
                  .arg(summary->segments)
                  .arg(exportFormatName(options.format), options.outputDirectory)
                  .arg(summary->files.size()));
    return kExitOk;
}

} // namespace saccade::cli
