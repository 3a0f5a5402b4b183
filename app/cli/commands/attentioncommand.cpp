#include "commands.h"

#include "core/export/attentionviewexport.h"
#include "core/inference/clipanalyzer.h"
#include "core/inference/overlayrenderer.h"
#include "core/media/frameconverter.h"
#include "core/media/imagefile.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonObject>

#include <cmath>

namespace saccade::cli {

namespace {

std::optional<HeadSelection> parseHeads(const QString& text) {
    if (text == QLatin1String("mean"))
        return HeadSelection{-1, HeadFusion::Mean};
    if (text == QLatin1String("max"))
        return HeadSelection{-1, HeadFusion::Max};
    if (text == QLatin1String("min"))
        return HeadSelection{-1, HeadFusion::Min};
    bool ok = false;
    const int head = text.toInt(&ok);
    if (!ok || head < 0)
        return std::nullopt;
    return HeadSelection{head, HeadFusion::Mean};
}

} // namespace

int runAttention(CliContext& context) {
    const QString command = QStringLiteral("attention");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Write the attention of the window containing a frame: one PNG overlay per sampled frame, "
        "spatial.npy (L,A,T,Hp,Wp), temporal.npy (L,A,N,T,T), rollout.npy (T,Hp,Wp) and "
        "attention.json."));
    parser.addPositionalArgument(QStringLiteral("MODEL"),
                                 QStringLiteral("Checkpoint file, HF directory, 'demo' or random:PRESET."));
    parser.addPositionalArgument(QStringLiteral("VIDEO"), QStringLiteral("Video file."));
    parser.addOption(
        {QStringLiteral("at"), QStringLiteral("A frame inside the window."), QStringLiteral("FRAME")});
    parser.addOption({QStringLiteral("out"), QStringLiteral("Output folder."), QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("layer"), QStringLiteral("Layer of the overlays (default: the last)."),
                      QStringLiteral("L")});
    parser.addOption({QStringLiteral("head"), QStringLiteral("Head index, or mean, max or min of all heads."),
                      QStringLiteral("A"), QStringLiteral("mean")});
    parser.addOption(
        {QStringLiteral("rollout"), QStringLiteral("Draw the attention rollout instead of one layer.")});
    parser.addOption({QStringLiteral("discard"),
                      QStringLiteral("Rollout: share of lowest weights dropped per row."),
                      QStringLiteral("R"), QStringLiteral("0")});
    parser.addOption({QStringLiteral("colormap"),
                      QStringLiteral("%1.").arg(colormapNames().join(QStringLiteral(", "))),
                      QStringLiteral("NAME"), QStringLiteral("viridis")});
    parser.addOption({QStringLiteral("opacity"), QStringLiteral("Overlay opacity, 0..1."),
                      QStringLiteral("O"), QStringLiteral("0.5")});
    parser.addOption({QStringLiteral("stride-s"),
                      QStringLiteral("Window stride in seconds (default: the span)."), QStringLiteral("S")});
    parser.addOption({QStringLiteral("preset"),
                      QStringLiteral("Preprocessing preset (default: the model's)."),
                      QStringLiteral("NAME")});
    if (!parseArguments(parser, command, context))
        return kExitUsage;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 2 || !parser.isSet(QStringLiteral("at")) || !parser.isSet(QStringLiteral("out")))
        return reportUsage(command, QStringLiteral("expected MODEL, VIDEO, --at FRAME and --out DIR"));
    bool ok = false;
    const qint64 at = parser.value(QStringLiteral("at")).toLongLong(&ok);
    if (!ok || at < 0)
        return reportUsage(command, QStringLiteral("--at needs a frame number"));
    const std::optional<HeadSelection> heads = parseHeads(parser.value(QStringLiteral("head")));
    if (!heads)
        return reportUsage(command, QStringLiteral("--head must be a head index, mean, max or min"));
    const std::optional<Colormap> colormap = parseColormap(parser.value(QStringLiteral("colormap")));
    if (!colormap)
        return reportUsage(
            command, QStringLiteral("unknown colormap '%1'").arg(parser.value(QStringLiteral("colormap"))));
    const double opacity = parser.value(QStringLiteral("opacity")).toDouble(&ok);
    if (!ok || opacity < 0.0 || opacity > 1.0)
        return reportUsage(command, QStringLiteral("--opacity must be between 0 and 1"));
    ClipAnalyzerOptions options;
    options.preset = parser.value(QStringLiteral("preset"));
    options.rollout.fusion = heads->head < 0 ? heads->fusion : HeadFusion::Mean;
    options.rollout.discardRatio = parser.value(QStringLiteral("discard")).toDouble(&ok);
    if (!ok || options.rollout.discardRatio < 0.0 || options.rollout.discardRatio >= 1.0)
        return reportUsage(command, QStringLiteral("--discard must be in [0, 1)"));
    double strideSeconds = 0.0;
    if (parser.isSet(QStringLiteral("stride-s"))) {
        strideSeconds = parser.value(QStringLiteral("stride-s")).toDouble(&ok);
        if (!ok || strideSeconds <= 0.0)
            return reportUsage(command, QStringLiteral("--stride-s needs a positive number"));
    }

    Result<std::unique_ptr<ClipAnalyzer>> analyzer =
        ClipAnalyzer::load(positional[0], options, context.cancel);
    if (!analyzer.ok())
        return reportError(analyzer.error());
    Result<AnalysisVideo> video = openAnalysisVideo(positional[1], context.cancel);
    if (!video.ok())
        return reportError(video.error());
    const double fps = video->fps;
    VideoDecoder& decoder = *video->decoder;
    const std::vector<ClipWindow> windows = (*analyzer)->windows(
        video->frameCount, fps, strideSeconds > 0.0 ? std::llround(strideSeconds * fps) : 0);
    const int index = ClipAnalyzer::windowAt(windows, at);
    if (index < 0)
        return reportError(Error::invalidArgument(
            QStringLiteral("frame %1 is outside the video (%2 frames)").arg(at).arg(video->frameCount)));
    const ClipWindow& window = windows[size_t(index)];
    Result<WindowResult> result =
        (*analyzer)->analyseWindow(decoder, window, QString(), nullptr, context.cancel);
    if (!result.ok())
        return reportError(result.error());

    const QString outDir = parser.value(QStringLiteral("out"));
    if (!QDir().mkpath(outDir))
        return reportError(Error::io(outDir, QStringLiteral("cannot create the folder")));
    const QDir out(outDir);
    const bool useRollout = parser.isSet(QStringLiteral("rollout"));
    const FloatArray& source = useRollout ? result->rollout : result->spatial;
    if (source.shape.empty())
        return reportError(
            Error::unsupported(positional[0], useRollout ? QStringLiteral("this model has no rollout")
                                                         : QStringLiteral("this model has no spatial maps")));
    int layer = static_cast<int>(result->spatial.shape.empty() ? 0 : result->spatial.shape[0] - 1);
    if (parser.isSet(QStringLiteral("layer"))) {
        layer = parser.value(QStringLiteral("layer")).toInt(&ok);
        if (!ok || layer < 0 || (!result->spatial.shape.empty() && layer >= result->spatial.shape[0]))
            return reportUsage(command,
                               QStringLiteral("--layer must be below %1").arg(result->spatial.shape[0]));
    }

    FrameConverter converter;
    const OverlayStyle style{*colormap, opacity};
    const int rows = static_cast<int>(source.shape[source.shape.size() - 2]);
    const int columns = static_cast<int>(source.shape.back());
    QJsonArray images;
    for (int t = 0; t < static_cast<int>(result->frames.size()); ++t) {
        const qint64 frameNumber = result->frames[size_t(t)];
        Result<VideoFrame> frame = decoder.frameAt(frameNumber);
        if (!frame.ok())
            return reportError(frame.error());
        Result<QImage> picture = converter.toImageOfSize(frame.value(), result->frameSize);
        if (!picture.ok())
            return reportError(picture.error());
        Result<std::vector<float>> map = useRollout
                                             ? AttentionAnalysis::selectRollout(source, t)
                                             : AttentionAnalysis::selectSpatial(source, layer, *heads, t);
        if (!map.ok())
            return reportError(map.error());
        const QImage overlay = OverlayRenderer::render(map.value(), rows, columns, result->frameSize,
                                                       result->attentionBox(), result->frameSize, style);
        const QString name =
            QStringLiteral("frame_%1_t%2.png").arg(frameNumber, 6, 10, QLatin1Char('0')).arg(t);
        Status written =
            writeImageFile(out.filePath(name), OverlayRenderer::composite(picture.value(), overlay));
        if (!written)
            return reportError(written.error());
        images.append(name);
    }
    const AttentionProvenance provenance{positional[0], (*analyzer)->modelHash(), positional[1],
                                         (*analyzer)->preset().fingerprint(), index};
    const QJsonObject overlay{
        {QStringLiteral("map"), useRollout ? QStringLiteral("rollout") : QStringLiteral("spatial")},
        {QStringLiteral("layer"), layer},
        {QStringLiteral("head"), parser.value(QStringLiteral("head"))},
        {QStringLiteral("colormap"), colormapName(*colormap)},
        {QStringLiteral("opacity"), opacity},
        {QStringLiteral("images"), images}};
    if (Result<QStringList> written = AttentionViewExport::writeArrays(
            outDir, result.value(), provenance, {{QStringLiteral("overlay"), overlay}});
        !written.ok())
        return reportError(written.error());
    printLine(QStringLiteral("window %1 (frames %2-%3): %4 overlays in %5")
                  .arg(index)
                  .arg(window.startFrame)
                  .arg(window.endFrame)
                  .arg(images.size())
                  .arg(outDir));
    return kExitOk;
}

} // namespace saccade::cli
