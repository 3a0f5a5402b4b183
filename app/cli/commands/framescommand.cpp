#include "commands.h"

#include "core/media/frameconverter.h"
#include "core/media/imagefile.h"
#include "core/media/videodecoder.h"

#include <QDir>

#include <algorithm>

namespace saccade::cli {

int runFrames(CliContext& context) {
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Write chosen frames (0-based, presentation order) as upright PNG files DIR/frame_NNNNNN.png."));
    parser.addPositionalArgument(QStringLiteral("VIDEO"), QStringLiteral("The video file."));
    parser.addOption(
        {QStringLiteral("at"), QStringLiteral("Comma-separated frame numbers."), QStringLiteral("LIST")});
    parser.addOption({QStringLiteral("out"), QStringLiteral("Output folder (created if missing)."),
                      QStringLiteral("DIR")});
    if (!parseArguments(parser, QStringLiteral("frames"), context))
        return parser.isSet(QStringLiteral("help")) ? kExitOk : kExitUsage;
    if (parser.positionalArguments().size() != 1)
        return reportUsage(QStringLiteral("frames"), QStringLiteral("expected exactly one VIDEO"));
    if (!parser.isSet(QStringLiteral("at")) || !parser.isSet(QStringLiteral("out")))
        return reportUsage(QStringLiteral("frames"), QStringLiteral("--at and --out are required"));

    std::vector<qint64> wanted;
    for (const QString& item :
         parser.value(QStringLiteral("at")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const qint64 frame = item.trimmed().toLongLong(&ok);
        if (!ok || frame < 0)
            return reportUsage(QStringLiteral("frames"),
                               QStringLiteral("'%1' is not a frame number").arg(item));
        wanted.push_back(frame);
    }
    if (wanted.empty())
        return reportUsage(QStringLiteral("frames"), QStringLiteral("--at lists no frames"));

    const QString path = parser.positionalArguments().constFirst();
    VideoDecoder::Options options;
    options.cancel = context.cancel;
    auto decoder = VideoDecoder::open(path, options);
    if (!decoder)
        return reportError(decoder.error());
    const auto count = (*decoder)->frameCount();
    if (!count)
        return reportError(count.error());
    // Check every number before writing anything.
    for (qint64 frame : wanted) {
        if (frame >= *count)
            return reportError({ErrorCategory::InvalidArgument,
                                QStringLiteral("frame %1 is beyond the end (the video has %2 frames)")
                                    .arg(frame)
                                    .arg(*count),
                                path});
    }
    const QString outDir = parser.value(QStringLiteral("out"));
    if (!QDir().mkpath(outDir))
        return reportError(Error::io(outDir, QStringLiteral("cannot create the folder")));

    // Ascending order decodes each GOP once; the files do not depend on the order.
    std::vector<qint64> ordered = wanted;
    std::sort(ordered.begin(), ordered.end());
    ordered.erase(std::unique(ordered.begin(), ordered.end()), ordered.end());
    FrameConverter converter;
    for (qint64 index : ordered) {
        auto frame = (*decoder)->frameAt(index);
        if (!frame)
            return reportError(frame.error());
        auto image = converter.toImage(*frame);
        if (!image)
            return reportError(image.error());
        const QString file =
            QDir(outDir).filePath(QStringLiteral("frame_%1.png").arg(index, 6, 10, QLatin1Char('0')));
        Status written = writeImageFile(file, *image);
        if (!written)
            return reportError(written.error());
    }
    printLine(QStringLiteral("wrote %1 frame(s) to %2").arg(ordered.size()).arg(outDir));
    return kExitOk;
}

} // namespace saccade::cli
