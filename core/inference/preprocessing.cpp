#include "core/inference/preprocessing.h"

#include "core/media/clipsampler.h"
#include "core/util/jsonfile.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <map>

namespace saccade {

namespace {

// An HF size field: an integer, {"shortest_edge": S} or {"height": H, "width": W} (the smaller is used).
int sizeField(const QJsonValue& value, int fallback) {
    if (value.isDouble())
        return value.toInt(fallback);
    const QJsonObject object = value.toObject();
    if (object.contains(QLatin1String("shortest_edge")))
        return object.value(QLatin1String("shortest_edge")).toInt(fallback);
    if (object.contains(QLatin1String("height")) && object.contains(QLatin1String("width")))
        return std::min(object.value(QLatin1String("height")).toInt(fallback),
                        object.value(QLatin1String("width")).toInt(fallback));
    return fallback;
}

QSize upright(QSize coded, int rotationDegrees) {
    return rotationDegrees == 90 || rotationDegrees == 270 ? coded.transposed() : coded;
}

} // namespace

PreprocessPreset PreprocessPreset::researchK400(const TimeSformerConfig& config) {
    PreprocessPreset preset;
    preset.name = QStringLiteral("research-k400");
    preset.numFrames = config.numFrames;
    preset.samplingRate = config.samplingRate;
    preset.shortSide = config.imageSize;
    preset.cropSize = config.imageSize;
    preset.mean = config.normMean;
    preset.std = config.normStd;
    preset.bgr = config.bgr;
    return preset;
}

Result<PreprocessPreset> PreprocessPreset::fromHfJson(const QJsonObject& json,
                                                      const TimeSformerConfig& config, const QString& path) {
    PreprocessPreset preset = researchK400(config);
    preset.name = QStringLiteral("hf");
    preset.filter = ResizeFilter::BilinearAntialias;
    preset.centreRoundsUp = false;
    preset.shortSide = sizeField(json.value(QLatin1String("size")), config.imageSize);
    const bool crop = json.value(QLatin1String("do_center_crop")).toBool(true);
    preset.cropSize =
        crop ? sizeField(json.value(QLatin1String("crop_size")), config.imageSize) : preset.shortSide;
    const double rescale = json.value(QLatin1String("rescale_factor")).toDouble(1.0 / 255.0);
    if (json.value(QLatin1String("do_rescale")).toBool(true) && std::abs(rescale * 255.0 - 1.0) > 1e-6)
        return Error::unsupported(path, QStringLiteral("rescale_factor %1 is not 1/255").arg(rescale));
    TimeSformerConfig normalisation = config;
    const Status normalisationRead = normalisation.readHfNormalisation(json, path);
    if (!normalisationRead)
        return normalisationRead.error();
    preset.mean = normalisation.normMean;
    preset.std = normalisation.normStd;
    if (preset.shortSide <= 0 || preset.cropSize <= 0 || preset.cropSize > preset.shortSide)
        return Error::invalidData(
            path,
            QStringLiteral("size %1 and crop %2 do not fit").arg(preset.shortSide).arg(preset.cropSize));
    return preset;
}

Result<PreprocessPreset> PreprocessPreset::forModel(const TimeSformerConfig& config,
                                                    const QString& modelSource, const QString& name) {
    const QString chosen = name.isEmpty() ? config.preprocessing : name;
    if (chosen == QLatin1String("research-k400"))
        return researchK400(config);
    if (chosen == QLatin1String("demo")) {
        // The demo models see the square stage in the middle of the frame, where the synthetic actions
        // happen: one centre crop of the short side, downscaled with antialiasing as the clips were drawn.
        PreprocessPreset preset = researchK400(config);
        preset.name = chosen;
        preset.filter = ResizeFilter::BilinearAntialias;
        return preset;
    }
    if (chosen == QLatin1String("hf")) {
        const QFileInfo source(modelSource);
        const QString file = (source.isDir() ? QDir(source.filePath()) : source.dir())
                                 .filePath(QStringLiteral("preprocessor_config.json"));
        if (!QFileInfo::exists(file))
            return fromHfJson(config.toHfPreprocessorJson(), config, file);
        Result<QJsonDocument> document = readJsonFile(file);
        if (!document.ok())
            return document.error();
        if (!document->isObject())
            return Error::invalidData(file, QStringLiteral("not a JSON object"));
        return fromHfJson(document->object(), config, file);
    }
    return Error::invalidArgument(QStringLiteral("unknown preprocessing preset '%1' (%2)")
                                      .arg(chosen, names().join(QStringLiteral(", "))));
}

QStringList PreprocessPreset::names() {
    return {QStringLiteral("research-k400"), QStringLiteral("hf"), QStringLiteral("demo")};
}

QString PreprocessPreset::fingerprint() const {
    return QStringLiteral("%1 T%2 r%3/%4 mode%5 short%6 crop%7 views%8 ceil%9 filter%10 mean%11,%12,%13 "
                          "std%14,%15,%16 bgr%17")
        .arg(name)
        .arg(numFrames)
        .arg(samplingRate)
        .arg(targetFps)
        .arg(int(resizeMode))
        .arg(shortSide)
        .arg(cropSize)
        .arg(views)
        .arg(int(centreRoundsUp))
        .arg(int(filter))
        .arg(double(mean[0]))
        .arg(double(mean[1]))
        .arg(double(mean[2]))
        .arg(double(std[0]))
        .arg(double(std[1]))
        .arg(double(std[2]))
        .arg(int(bgr));
}

qint64 PreprocessPreset::spanFrames(double fps) const {
    const double span =
        ClipSampler::clipSpan(numFrames, samplingRate, fps > 0.0 ? fps : targetFps, targetFps);
    return std::max<qint64>(1, static_cast<qint64>(std::llround(span)));
}

QSize PreprocessPreset::resizedSize(QSize frameSize) const {
    if (frameSize.isEmpty())
        return {cropSize, cropSize};
    // As the research code and the HF processor: the long side is floor(short * L / S).
    if (frameSize.width() <= frameSize.height())
        return {shortSide,
                static_cast<int>(std::floor(double(frameSize.height()) / frameSize.width() * shortSide))};
    return {static_cast<int>(std::floor(double(frameSize.width()) / frameSize.height() * shortSide)),
            shortSide};
}

std::vector<int> PreprocessPreset::cropOffsets(int length, int crop, int views, bool centreRoundsUp) {
    const int slack = std::max(length - crop, 0);
    const int centre = centreRoundsUp ? (slack + 1) / 2 : slack / 2;
    if (views == 3)
        return {0, centre, slack};
    return {centre};
}

std::vector<QRect> PreprocessPreset::cropRects(QSize resized) const {
    std::vector<QRect> rects;
    // Off-centre views move along the long side; the short side is always centred.
    const bool wide = resized.width() >= resized.height();
    const int alongLength = wide ? resized.width() : resized.height();
    const int acrossLength = wide ? resized.height() : resized.width();
    const int across = cropOffsets(acrossLength, cropSize, 1, centreRoundsUp).front();
    for (int along : cropOffsets(alongLength, cropSize, views, centreRoundsUp))
        rects.push_back(wide ? QRect(along, across, cropSize, cropSize)
                             : QRect(across, along, cropSize, cropSize));
    return rects;
}

ClipPreprocessor::ClipPreprocessor(PreprocessPreset preset) : m_preset(std::move(preset)) {}

const ClipPreprocessor::ResizedFrame* ClipPreprocessor::recentFrame(const VideoDecoder& decoder,
                                                                    qint64 index) const {
    for (const ResizedFrame& frame : m_recent)
        if (frame.index == index && frame.decoder == &decoder && frame.path == decoder.info().path)
            return &frame;
    return nullptr;
}

void ClipPreprocessor::keepRecent(ResizedFrame frame) {
    // Two windows' worth: windows a grid step apart share all but one frame.
    const size_t capacity = static_cast<size_t>(2 * std::max(1, m_preset.numFrames) + 8);
    while (m_recent.size() >= capacity)
        m_recent.pop_front();
    m_recent.push_back(std::move(frame));
}

void ClipPreprocessor::fillFrame(const FloatPlanes& resized, const std::vector<QRect>& crops, int t,
                                 FloatArray& clip) const {
    const int64_t frames = clip.shape[2];
    const int64_t side = m_preset.cropSize;
    for (size_t view = 0; view < crops.size(); ++view) {
        const QRect& crop = crops[view];
        for (int c = 0; c < 3; ++c) {
            const int source = m_preset.bgr ? 2 - c : c;
            const float mean = m_preset.mean[c];
            const float scale = 1.0f / m_preset.std[c];
            float* out = clip.values.data() + (((int64_t(view) * 3 + c) * frames + t) * side) * side;
            for (int y = 0; y < side; ++y) {
                const float* in = resized.values.data() +
                                  (int64_t(source) * resized.height + crop.top() + y) * resized.width +
                                  crop.left();
                for (int x = 0; x < side; ++x)
                    out[y * side + x] = (in[x] - mean) * scale;
            }
        }
    }
}

Result<PreparedClip> ClipPreprocessor::prepare(VideoDecoder& decoder, const std::vector<qint64>& frames,
                                               const CancellationToken& cancel, StageTimes* times) {
    if (frames.empty())
        return Error::invalidArgument(QStringLiteral("no frames to prepare"));
    PreparedClip clip;
    const auto count = static_cast<int>(frames.size());
    clip.input.shape = {m_preset.views, 3, count, m_preset.cropSize, m_preset.cropSize};
    clip.input.values.resize(static_cast<size_t>(clip.input.elementCount()));
    std::vector<qint64> order(frames);
    std::sort(order.begin(), order.end());
    order.erase(std::unique(order.begin(), order.end()), order.end());
    QElapsedTimer timer;
    std::vector<QRect> crops;
    QSize resizedSize;
    // Frames are decoded in ascending order (forward decoding inside a GOP) and each is converted once.
    for (qint64 index : order) {
        if (cancel.isCancelled())
            return Error::cancelled();
        const ResizedFrame* recent = recentFrame(decoder, index);
        if (!recent) {
            timer.start();
            Result<VideoFrame> frame = decoder.frameAt(index);
            if (times)
                times->decodeS += timer.nsecsElapsed() * 1e-9;
            if (!frame.ok())
                return frame.error();
            timer.start();
            ResizedFrame resized;
            resized.decoder = &decoder;
            resized.path = decoder.info().path;
            resized.index = index;
            resized.frameSize = upright(frame->planeSize(), frame->rotationDegrees);
            Result<FloatPlanes> planes = m_converter.toFloatPlanes(
                frame.value(), m_preset.resizedSize(resized.frameSize), m_preset.filter);
            if (!planes.ok())
                return planes.error();
            resized.planes = std::move(planes).value();
            ++m_decodedFrames;
            keepRecent(std::move(resized));
            recent = &m_recent.back();
            if (times)
                times->preprocessS += timer.nsecsElapsed() * 1e-9;
        }
        timer.start();
        if (crops.empty()) {
            clip.frameSize = recent->frameSize;
            resizedSize = m_preset.resizedSize(clip.frameSize);
            crops = m_preset.cropRects(resizedSize);
            const double sx = double(clip.frameSize.width()) / resizedSize.width();
            const double sy = double(clip.frameSize.height()) / resizedSize.height();
            for (const QRect& crop : crops)
                clip.cropBoxes.push_back(QRect(static_cast<int>(std::lround(crop.left() * sx)),
                                               static_cast<int>(std::lround(crop.top() * sy)),
                                               static_cast<int>(std::lround(crop.width() * sx)),
                                               static_cast<int>(std::lround(crop.height() * sy))));
        }
        const FloatPlanes& planes = recent->planes;
        if (planes.height != resizedSize.height() || planes.width != resizedSize.width())
            return Error::invalidData(decoder.info().path,
                                      QStringLiteral("frame %1 changed size mid-clip").arg(index));
        for (int t = 0; t < count; ++t)
            if (frames[static_cast<size_t>(t)] == index)
                fillFrame(planes, crops, t, clip.input);
        if (times)
            times->preprocessS += timer.nsecsElapsed() * 1e-9;
    }
    return clip;
}

} // namespace saccade
