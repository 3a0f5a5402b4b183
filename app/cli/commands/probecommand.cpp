#include "commands.h"

#include "core/media/mediasource.h"

#include <QJsonObject>

namespace saccade::cli {

int runProbe(CliContext& context) {
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Print what a video file holds (counts frames exactly "
                                                    "with one demux-only pass unless --fast)."));
    parser.addPositionalArgument(QStringLiteral("VIDEO"), QStringLiteral("The video file."));
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    parser.addOption(
        {QStringLiteral("fast"), QStringLiteral("Read the headers only; the frame count may be estimated.")});
    if (!parseArguments(parser, QStringLiteral("probe"), context))
        return parser.isSet(QStringLiteral("help")) ? kExitOk : kExitUsage;
    if (parser.positionalArguments().size() != 1)
        return reportUsage(QStringLiteral("probe"), QStringLiteral("expected exactly one VIDEO"));

    const QString path = parser.positionalArguments().constFirst();
    const ProbeDepth depth =
        parser.isSet(QStringLiteral("fast")) ? ProbeDepth::Header : ProbeDepth::CountPackets;
    const auto probed = MediaSource::probe(path, depth, context.cancel);
    if (!probed)
        return reportError(probed.error());
    const VideoInfo& info = *probed;

    if (parser.isSet(QStringLiteral("json"))) {
        QJsonObject json;
        json[QStringLiteral("path")] = info.path;
        json[QStringLiteral("container")] = info.container;
        json[QStringLiteral("codec")] = info.codec;
        json[QStringLiteral("width")] = info.width;
        json[QStringLiteral("height")] = info.height;
        json[QStringLiteral("sample_aspect_ratio")] =
            QStringLiteral("%1:%2").arg(info.sampleAspectNum).arg(info.sampleAspectDen);
        json[QStringLiteral("display_width")] = info.displaySize().width();
        json[QStringLiteral("display_height")] = info.displaySize().height();
        json[QStringLiteral("rotation")] = info.rotationDegrees;
        json[QStringLiteral("fps")] = info.fps;
        json[QStringLiteral("time_base")] =
            QStringLiteral("%1/%2").arg(info.timeBaseNum).arg(info.timeBaseDen);
        json[QStringLiteral("frame_count")] = info.frameCount;
        json[QStringLiteral("frame_count_exact")] = info.frameCountExact;
        json[QStringLiteral("duration_s")] = info.durationSeconds;
        json[QStringLiteral("pixel_format")] = info.pixelFormat;
        json[QStringLiteral("bit_depth")] = info.bitDepth;
        printJson(QJsonDocument(json));
        return kExitOk;
    }
    printLine(QStringLiteral("%1").arg(info.path));
    printLine(QStringLiteral("  container:   %1").arg(info.container));
    printLine(QStringLiteral("  codec:       %1, %2 (%3-bit)")
                  .arg(info.codec, info.pixelFormat)
                  .arg(info.bitDepth));
    printLine(QStringLiteral("  size:        %1x%2, sample aspect %3:%4, rotation %5 deg, shown at %6x%7")
                  .arg(info.width)
                  .arg(info.height)
                  .arg(info.sampleAspectNum)
                  .arg(info.sampleAspectDen)
                  .arg(info.rotationDegrees)
                  .arg(info.displaySize().width())
                  .arg(info.displaySize().height()));
    printLine(QStringLiteral("  frame rate:  %1 fps (time base %2/%3)")
                  .arg(info.fps, 0, 'f', 3)
                  .arg(info.timeBaseNum)
                  .arg(info.timeBaseDen));
    printLine(QStringLiteral("  duration:    %1 s").arg(info.durationSeconds, 0, 'f', 3));
    printLine(QStringLiteral("  frames:      %1 (%2)")
                  .arg(info.frameCount)
                  .arg(info.frameCountExact ? QStringLiteral("exact") : QStringLiteral("estimated")));
    return kExitOk;
}

} // namespace saccade::cli
