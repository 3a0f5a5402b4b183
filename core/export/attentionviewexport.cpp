#include "core/export/attentionviewexport.h"

#include "core/export/stagedoutput.h"
#include "core/media/imagefile.h"
#include "core/inference/attentionanalysis.h"
#include "core/inference/clipanalyzer.h"
#include "core/inference/overlayrenderer.h"
#include "core/media/frameconverter.h"
#include "core/media/videoencoder.h"
#include "core/util/npy.h"

#include <QBuffer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace saccade {

namespace {

QJsonArray rectJson(const QRect& rect) {
    return QJsonArray{rect.x(), rect.y(), rect.width(), rect.height()};
}

// The encoder wants a rational rate: NTSC rates as n*1000/1001, others in milliframes.
std::pair<int, int> rationalFps(double fps) {
    const double ntsc = fps * 1001.0 / 1000.0;
    if (std::abs(ntsc - std::round(ntsc)) < 1e-3 && std::abs(fps - std::round(fps)) > 1e-3)
        return {static_cast<int>(std::lround(ntsc)) * 1000, 1001};
    if (std::abs(fps - std::round(fps)) < 1e-6)
        return {static_cast<int>(std::lround(fps)), 1};
    return {static_cast<int>(std::lround(fps * 1000.0)), 1000};
}

// `size` shrunk to fit `maxLongSide` (never enlarged), both sides even for yuv420p.
QSize outputSize(QSize size, int maxLongSide) {
    if (maxLongSide > 0 && std::max(size.width(), size.height()) > maxLongSide)
        size = size.scaled(maxLongSide, maxLongSide, Qt::KeepAspectRatio);
    return {std::max(2, size.width() & ~1), std::max(2, size.height() & ~1)};
}

} // namespace

int AttentionViewExport::nearestSample(const WindowResult& window, qint64 frame) {
    int nearest = -1;
    for (int i = 0; i < static_cast<int>(window.frames.size()); ++i) {
        if (nearest < 0 ||
            std::abs(window.frames[size_t(i)] - frame) < std::abs(window.frames[size_t(nearest)] - frame))
            nearest = i;
    }
    return nearest;
}

Result<GridMap> AttentionViewExport::selectMap(const WindowResult& window, const AttentionViewSpec& spec,
                                               int t) {
    const FloatArray& source = spec.rollout ? window.rollout : window.spatial;
    if (source.shape.size() < 3)
        return Error::unsupported(QString(),
                                  spec.rollout ? QStringLiteral("this window has no attention rollout")
                                               : QStringLiteral("this window has no spatial attention maps"));
    const int lastLayer = spec.rollout ? 0 : static_cast<int>(source.shape[0]) - 1;
    Result<std::vector<float>> values =
        spec.rollout ? AttentionAnalysis::selectRollout(source, t)
                     : AttentionAnalysis::selectSpatial(source, spec.layer >= 0 ? spec.layer : lastLayer,
                                                        spec.heads, t);
    if (!values.ok())
        return values.error();
    GridMap map{std::move(values).value(), static_cast<int>(source.shape[source.shape.size() - 2]),
                static_cast<int>(source.shape.back())};
    if (!spec.rollout && spec.discardRatio > 0.0) {
        std::vector<double> row(map.values.begin(), map.values.end());
        AttentionAnalysis::discardLowest(row, 1, static_cast<int64_t>(row.size()), spec.discardRatio);
        std::copy(row.begin(), row.end(), map.values.begin());
    }
    return map;
}

QImage AttentionViewExport::overlay(const WindowResult& window, const GridMap& map, QSize imageSize,
                                    const OverlayStyle& style) {
    return OverlayRenderer::render(map.values, map.rows, map.columns, window.frameSize, window.attentionBox(),
                                   imageSize, style);
}

const WindowResult* AttentionViewExport::windowFor(const std::vector<ClipWindow>& windows,
                                                   const std::map<int, WindowResult>& results, qint64 frame) {
    const auto found = results.find(ClipAnalyzer::windowAt(windows, frame));
    return found == results.end() ? nullptr : &found->second;
}

QString AttentionViewExport::timecode(qint64 frame, double fps) {
    const auto ms = static_cast<qint64>(std::llround(fps > 0.0 ? double(frame) * 1000.0 / fps : 0.0));
    return QStringLiteral("%1:%2:%3.%4")
        .arg(ms / 3600000, 2, 10, QLatin1Char('0'))
        .arg(ms / 60000 % 60, 2, 10, QLatin1Char('0'))
        .arg(ms / 1000 % 60, 2, 10, QLatin1Char('0'))
        .arg(ms % 1000, 3, 10, QLatin1Char('0'));
}

void AttentionViewExport::drawCaption(QImage& image, qint64 frame, double fps, const WindowResult* window) {
    QString text = QStringLiteral("%1  frame %2").arg(timecode(frame, fps)).arg(frame);
    if (window && !window->top.empty())
        text += QStringLiteral("  \u00b7  %1 %2%")
                    .arg(window->top.front().label)
                    .arg(std::lround(window->top.front().probability * 100.0));
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    QFont font = painter.font();
    font.setPixelSize(std::max(10, image.height() / 30));
    painter.setFont(font);
    const QFontMetrics metrics(font);
    const int padding = std::max(3, font.pixelSize() / 3);
    const QRect textRect = metrics.boundingRect(text);
    const QRectF box(padding, image.height() - padding - textRect.height() - 2 * padding,
                     textRect.width() + 2 * padding, textRect.height() + 2 * padding);
    QPainterPath path;
    path.addRoundedRect(box, padding, padding);
    painter.fillPath(path, QColor(0, 0, 0, 160));
    painter.setPen(Qt::white);
    painter.drawText(box, Qt::AlignCenter, text);
}

Status AttentionViewExport::writeFramePng(const QString& videoPath, qint64 frame, const WindowResult& window,
                                          const GridMap& map, const OverlayStyle& style,
                                          const QString& outputPath, const CancellationToken& cancel) {
    Result<AnalysisVideo> video = openAnalysisVideo(videoPath, cancel);
    if (!video.ok())
        return video.error();
    Result<VideoFrame> decoded = video->decoder->frameAt(frame);
    if (!decoded.ok())
        return decoded.error();
    const QSize size = window.frameSize.isEmpty() ? video->decoder->info().displaySize() : window.frameSize;
    FrameConverter converter;
    Result<QImage> picture = converter.toImageOfSize(decoded.value(), size);
    if (!picture.ok())
        return picture.error();
    if (map.values.empty() || int(map.values.size()) != map.rows * map.columns)
        return Error::invalidArgument(
            QStringLiteral("there is no attention map to draw over frame %1").arg(frame));
    const QImage composed = OverlayRenderer::composite(picture.value(), overlay(window, map, size, style));
    return writeImageFile(outputPath, composed);
}

Status AttentionViewExport::writeOverlayVideo(const QString& videoPath,
                                              const std::vector<ClipWindow>& windows,
                                              const std::map<int, WindowResult>& results,
                                              const AttentionViewSpec& spec, const QString& outputPath,
                                              const OverlayVideoOptions& options,
                                              const CancellationToken& cancel,
                                              const std::function<void(double)>& progress) {
    if (results.empty())
        return Error::invalidArgument(QStringLiteral("no window of %1 has been analysed yet").arg(videoPath));
    Result<AnalysisVideo> video = openAnalysisVideo(videoPath, cancel);
    if (!video.ok())
        return video.error();
    const QSize frameSize = results.begin()->second.frameSize.isEmpty() ? video->decoder->info().displaySize()
                                                                        : results.begin()->second.frameSize;
    const QSize size = outputSize(frameSize, options.maxLongSide);
    VideoEncoderOptions encoding;
    encoding.width = size.width();
    encoding.height = size.height();
    std::tie(encoding.fpsNumerator, encoding.fpsDenominator) = rationalFps(video->fps);
    encoding.crf = options.crf;
    encoding.preset = options.encoderPreset;
    VideoEncoder encoder;
    if (Status opened = encoder.open(outputPath, encoding, cancel); !opened.ok())
        return opened;

    FrameConverter converter;
    // Overlays of the window in use, one per sampled frame, rendered when first needed.
    const WindowResult* current = nullptr;
    std::vector<QImage> overlays;
    qint64 number = 0;
    int reported = -1;
    while (true) {
        if (cancel.isCancelled())
            return Error::cancelled();
        Result<std::optional<VideoFrame>> next = video->decoder->nextFrame();
        if (!next.ok())
            return next.error();
        if (!next.value())
            break;
        const VideoFrame& frame = *next.value();
        if (frame.index >= 0)
            number = frame.index;
        Result<QImage> picture = converter.toImageOfSize(frame, size);
        if (!picture.ok())
            return picture.error();
        QImage composed = picture.value();
        const WindowResult* window = windowFor(windows, results, number);
        if (window != current) {
            current = window;
            overlays.assign(window ? window->frames.size() : 0, QImage());
        }
        if (window) {
            const int t = nearestSample(*window, number);
            if (t >= 0 && overlays[size_t(t)].isNull()) {
                Result<GridMap> map = selectMap(*window, spec, t);
                if (!map.ok()) {
                    Error error = map.error();
                    error.path = videoPath;
                    return error;
                }
                overlays[size_t(t)] = overlay(*window, map.value(), size, spec.style);
            }
            if (t >= 0)
                composed = OverlayRenderer::composite(composed, overlays[size_t(t)]);
        }
        if (options.timecode)
            drawCaption(composed, number, video->fps, window);
        if (Status written = encoder.writeFrame(composed); !written.ok())
            return written;
        ++number;
        const int percent = static_cast<int>(100 * number / std::max<qint64>(1, video->frameCount));
        if (progress && percent != reported) {
            reported = percent;
            progress(std::min(1.0, percent / 100.0));
        }
    }
    return encoder.finish();
}

QJsonObject AttentionViewExport::sidecar(const WindowResult& window, const AttentionProvenance& provenance) {
    QJsonArray frames;
    for (qint64 frame : window.frames)
        frames.append(frame);
    QJsonArray boxes;
    for (const QRect& box : window.cropBoxes)
        boxes.append(rectJson(box));
    QJsonObject arrays;
    for (const auto& [name, array] : {std::pair{QStringLiteral("spatial"), &window.spatial},
                                      std::pair{QStringLiteral("temporal"), &window.temporal},
                                      std::pair{QStringLiteral("rollout"), &window.rollout}}) {
        if (array->shape.empty())
            continue;
        QJsonArray shape;
        for (int64_t dimension : array->shape)
            shape.append(static_cast<qint64>(dimension));
        arrays.insert(name + QStringLiteral(".npy"), shape);
    }
    return QJsonObject{
        {QStringLiteral("model"), provenance.model},
        {QStringLiteral("model_hash"), provenance.modelHash},
        {QStringLiteral("video"),
         provenance.videoPath.isEmpty() ? QString() : QFileInfo(provenance.videoPath).absoluteFilePath()},
        {QStringLiteral("preset"), provenance.preset},
        {QStringLiteral("window"), QJsonObject{{QStringLiteral("index"), provenance.windowIndex},
                                               {QStringLiteral("start_frame"), window.startFrame},
                                               {QStringLiteral("end_frame"), window.endFrame}}},
        {QStringLiteral("frames"), frames},
        {QStringLiteral("frame_size"), QJsonArray{window.frameSize.width(), window.frameSize.height()}},
        {QStringLiteral("crop_box"), rectJson(window.attentionBox())},
        {QStringLiteral("crop_boxes"), boxes},
        {QStringLiteral("arrays"), arrays},
        {QStringLiteral("top"), window.top.empty() ? QJsonValue() : QJsonValue(window.top.front().label)},
    };
}

Result<QStringList> AttentionViewExport::writeArrays(const QString& directory, const WindowResult& window,
                                                     const AttentionProvenance& provenance,
                                                     const QJsonObject& extra) {
    StagedOutput output(directory);
    if (Status prepared = output.prepare(); !prepared.ok())
        return prepared.error();
    for (const auto& [name, array] : {std::pair{QStringLiteral("spatial.npy"), &window.spatial},
                                      std::pair{QStringLiteral("temporal.npy"), &window.temporal},
                                      std::pair{QStringLiteral("rollout.npy"), &window.rollout}}) {
        if (array->shape.empty())
            continue;
        if (Status written = output.writeFile(name, serializeNpy(*array)); !written.ok())
            return written.error();
    }
    if (output.stagedFiles().isEmpty())
        return Error::invalidArgument(
            QStringLiteral("window %1 has no attention arrays (the analysis did not keep them)")
                .arg(provenance.windowIndex));
    QJsonObject json = sidecar(window, provenance);
    for (auto it = extra.begin(); it != extra.end(); ++it)
        json.insert(it.key(), it.value());
    if (Status written = output.writeFile(QStringLiteral("attention.json"), QJsonDocument(json).toJson());
        !written.ok())
        return written.error();
    const QStringList files = output.stagedFiles();
    if (Status committed = output.commit(); !committed.ok())
        return committed.error();
    return files;
}

} // namespace saccade
