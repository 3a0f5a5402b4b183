#include "core/inference/clipanalyzer.h"

#include "core/util/filehash.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>

#include <cmath>

namespace saccade {

QString modelWeightsFile(const QString& source) {
    const QString resolved = TimeSformerModel::resolveSource(source);
    const QFileInfo info(resolved);
    if (!info.isDir())
        return resolved;
    const QDir directory(resolved);
    for (const QString& name : {QStringLiteral("model.safetensors"), QStringLiteral("pytorch_model.bin")})
        if (QFileInfo::exists(directory.filePath(name)))
            return directory.filePath(name);
    return directory.filePath(QStringLiteral("model.safetensors"));
}

Result<AnalysisVideo> openAnalysisVideo(const QString& path, const CancellationToken& cancel) {
    VideoDecoder::Options options;
    options.cancel = cancel;
    Result<std::unique_ptr<VideoDecoder>> decoder = VideoDecoder::open(path, options);
    if (!decoder.ok())
        return decoder.error();
    Result<qint64> frameCount = (*decoder)->frameCount();
    if (!frameCount.ok())
        return frameCount.error();
    const double fps = (*decoder)->info().fps;
    if (frameCount.value() <= 0 || fps <= 0.0)
        return Error::unsupported(path, QStringLiteral("the video's frame rate or frame count is unknown"));
    return AnalysisVideo{std::move(decoder).value(), frameCount.value(), fps};
}

ClipAnalyzer::ClipAnalyzer(TimeSformerModel model, PreprocessPreset preset, ClipAnalyzerOptions options)
    : m_model(std::move(model)), m_preprocessor(std::move(preset)), m_options(std::move(options)) {
    m_labels = m_model.labels();
}

Result<std::unique_ptr<ClipAnalyzer>> ClipAnalyzer::load(const QString& source,
                                                         const ClipAnalyzerOptions& options,
                                                         const CancellationToken& cancel) {
    if (source.startsWith(QLatin1String(kRandomPrefix))) {
        const QString presetName = source.mid(int(qstrlen(kRandomPrefix)));
        const std::optional<TimeSformerConfig> config = TimeSformerConfig::preset(presetName);
        if (!config)
            return Error::invalidArgument(
                QStringLiteral("unknown model preset '%1' (%2)")
                    .arg(presetName, TimeSformerConfig::presetNames().join(QStringLiteral(", "))));
        Result<TimeSformerModel> model = TimeSformerModel::create(*config, options.model);
        if (!model.ok())
            return model.error();
        return fromModel(std::move(model).value(), source, QString(), options);
    }
    Result<TimeSformerModel> model = TimeSformerModel::load(source, options.model);
    if (!model.ok())
        return model.error();
    if (cancel.isCancelled())
        return Error::cancelled();
    Result<QString> hash = fullFileSha256(modelWeightsFile(source), cancel);
    if (!hash.ok())
        return hash.error();
    return fromModel(std::move(model).value(), source, hash.value(), options);
}

Result<std::unique_ptr<ClipAnalyzer>> ClipAnalyzer::fromModel(TimeSformerModel model, const QString& source,
                                                              const QString& modelHash,
                                                              const ClipAnalyzerOptions& options) {
    Result<PreprocessPreset> preset = PreprocessPreset::forModel(model.config(), source, options.preset);
    if (!preset.ok())
        return preset.error();
    if (options.views != 0 && options.views != 1 && options.views != 3)
        return Error::invalidArgument(QStringLiteral("views must be 1 or 3, not %1").arg(options.views));
    if (options.views != 0)
        preset->views = options.views;
    if (options.samplingRate < 0)
        return Error::invalidArgument(QStringLiteral("the sampling rate must be positive"));
    if (options.samplingRate > 0)
        preset->samplingRate = options.samplingRate;
    if (preset->cropSize % model.config().patchSize != 0)
        return Error::invalidArgument(QStringLiteral("crop size %1 is not a multiple of the patch size %2")
                                          .arg(preset->cropSize)
                                          .arg(model.config().patchSize));
    std::unique_ptr<ClipAnalyzer> analyzer(
        new ClipAnalyzer(std::move(model), std::move(preset).value(), options));
    analyzer->m_source = source;
    analyzer->m_modelHash = modelHash;
    return analyzer;
}

std::vector<ClipWindow> ClipAnalyzer::windows(qint64 frameCount, double fps, qint64 strideFrames) const {
    const int numFrames = std::max(1, preset().numFrames);
    const double span = ClipSampler::clipSpan(numFrames, preset().samplingRate,
                                              fps > 0.0 ? fps : preset().targetFps, preset().targetFps);
    const double step = span / numFrames;
    const int strideSteps = strideFrames > 0
                                ? std::max(1, static_cast<int>(std::llround(double(strideFrames) / step)))
                                : std::max(1, numFrames / std::max(1, m_options.windowsPerSpan));
    return ClipSampler::gridWindows(frameCount, span, numFrames, strideSteps);
}

int ClipAnalyzer::windowAt(const std::vector<ClipWindow>& windows, qint64 frame) {
    int best = -1;
    double bestDistance = 0.0;
    for (size_t i = 0; i < windows.size(); ++i) {
        const ClipWindow& window = windows[i];
        if (frame < window.startFrame || frame > window.endFrame)
            continue;
        const double distance = std::abs(0.5 * double(window.startFrame + window.endFrame) - double(frame));
        if (best < 0 || distance < bestDistance) {
            bestDistance = distance;
            best = static_cast<int>(i);
        }
    }
    return best;
}

WindowCacheKey ClipAnalyzer::cacheKey(const QString& videoHash, const ClipWindow& window) const {
    WindowCacheKey key;
    key.videoHash = videoHash;
    key.modelHash = m_modelHash;
    key.parameters = QStringLiteral("%1 attention%2 fusion%3 discard%4 top%5")
                         .arg(preset().fingerprint())
                         .arg(int(m_options.captureAttention))
                         .arg(int(m_options.rollout.fusion))
                         .arg(m_options.rollout.discardRatio)
                         .arg(m_options.topK);
    key.startFrame = window.startFrame;
    key.endFrame = window.endFrame;
    key.frames = window.frames;
    return key;
}

Result<WindowResult> ClipAnalyzer::analyseWindow(VideoDecoder& decoder, const ClipWindow& window,
                                                 const QString& videoHash, const AnalysisCache* cache,
                                                 const CancellationToken& cancel) {
    const WindowCacheKey key = cacheKey(videoHash, window);
    std::optional<WindowResult> cached = cache ? cache->load(key) : std::nullopt;
    if (cached)
        return std::move(*cached);
    Result<WindowResult> result = analyse(decoder, window.frames, cancel);
    if (!result.ok())
        return result;
    result->startFrame = window.startFrame;
    result->endFrame = window.endFrame;
    // A failed cache write only costs a recomputation later.
    if (cache && key.isValid())
        (void)cache->store(key, result.value());
    return result;
}

Result<std::vector<WindowResult>>
ClipAnalyzer::analyseWindows(VideoDecoder& decoder, const std::vector<ClipWindow>& windows,
                             const QString& videoHash, const AnalysisCache* cache,
                             const CancellationToken& cancel, const std::function<void(int)>& progress) {
    std::vector<WindowResult> results(windows.size());
    const size_t batch =
        m_options.captureAttention ? 1 : static_cast<size_t>(std::max(1, m_options.batchWindows));
    size_t next = 0;
    while (next < windows.size()) {
        // Cached windows are served as they come; the next uncached ones form a batch.
        std::vector<size_t> pending;
        while (next < windows.size() && pending.size() < batch) {
            const WindowCacheKey key = cacheKey(videoHash, windows[next]);
            std::optional<WindowResult> cached = cache ? cache->load(key) : std::nullopt;
            if (cached)
                results[next] = std::move(*cached);
            else
                pending.push_back(next);
            ++next;
        }
        if (pending.size() == 1 || (m_options.captureAttention && !pending.empty())) {
            Result<WindowResult> result = analyse(decoder, windows[pending.front()].frames, cancel);
            if (!result.ok())
                return result.error();
            results[pending.front()] = std::move(result).value();
        } else if (!pending.empty()) {
            Status batched = analyseBatch(decoder, windows, pending, results, cancel);
            if (!batched.ok())
                return batched.error();
        }
        for (size_t index : pending) {
            results[index].startFrame = windows[index].startFrame;
            results[index].endFrame = windows[index].endFrame;
            const WindowCacheKey key = cacheKey(videoHash, windows[index]);
            // A failed cache write only costs a recomputation later.
            if (cache && key.isValid())
                (void)cache->store(key, results[index]);
        }
        if (progress)
            progress(static_cast<int>(next));
        if (cancel.isCancelled())
            return Error::cancelled();
    }
    return results;
}

Status ClipAnalyzer::analyseBatch(VideoDecoder& decoder, const std::vector<ClipWindow>& windows,
                                  const std::vector<size_t>& pending, std::vector<WindowResult>& results,
                                  const CancellationToken& cancel) {
    FloatArray input;
    std::vector<PreparedClip> clips;
    clips.reserve(pending.size());
    for (size_t index : pending) {
        StageTimes stages;
        Result<PreparedClip> clip = m_preprocessor.prepare(decoder, windows[index].frames, cancel, &stages);
        if (!clip.ok())
            return clip.error();
        WindowResult& result = results[index];
        result.frames = windows[index].frames;
        result.timings.decodeS = stages.decodeS;
        result.timings.preprocessS = stages.preprocessS;
        result.cropBoxes = clip->cropBoxes;
        result.frameSize = clip->frameSize;
        result.attentionView = static_cast<int>(clip->cropBoxes.size()) / 2;
        if (input.shape.empty()) {
            input.shape = clip->input.shape;
            input.shape[0] = 0;
        }
        input.shape[0] += clip->input.shape[0];
        input.values.insert(input.values.end(), clip->input.values.begin(), clip->input.values.end());
        clips.push_back(std::move(clip).value());
    }
    if (cancel.isCancelled())
        return Error::cancelled();
    QElapsedTimer stage;
    stage.start();
    Result<ForwardResult> forward = m_model.forward(input, false);
    const double forwardS = stage.nsecsElapsed() * 1e-9 / double(pending.size());
    if (!forward.ok()) {
        Error error = forward.error();
        if (error.path.isEmpty())
            error.path = decoder.info().path;
        return error;
    }
    const FloatArray& logits = forward->logits;
    const int64_t classes = logits.shape.size() == 2 ? logits.shape[1] : 0;
    int64_t row = 0;
    for (size_t i = 0; i < pending.size(); ++i) {
        std::vector<float> summed(static_cast<size_t>(classes), 0.0f);
        for (int64_t view = 0; view < clips[i].input.shape[0]; ++view, ++row)
            for (int64_t c = 0; c < classes; ++c)
                summed[static_cast<size_t>(c)] += logits.values[static_cast<size_t>(row * classes + c)];
        WindowResult& result = results[pending[i]];
        result.setLogits(std::move(summed), m_labels, m_options.topK);
        result.timings.forwardS = forwardS;
        result.timings.totalS = result.timings.decodeS + result.timings.preprocessS + forwardS;
    }
    return {};
}

Result<WindowResult> ClipAnalyzer::analyse(VideoDecoder& decoder, const std::vector<qint64>& frames,
                                           const CancellationToken& cancel,
                                           std::vector<AttentionMap>* rawAttention) {
    QElapsedTimer total;
    total.start();
    WindowResult result;
    result.frames = frames;
    StageTimes stages;
    Result<PreparedClip> clip = m_preprocessor.prepare(decoder, frames, cancel, &stages);
    if (!clip.ok())
        return clip.error();
    result.timings.decodeS = stages.decodeS;
    result.timings.preprocessS = stages.preprocessS;
    result.cropBoxes = clip->cropBoxes;
    result.frameSize = clip->frameSize;
    result.attentionView = static_cast<int>(clip->cropBoxes.size()) / 2;
    if (cancel.isCancelled())
        return Error::cancelled();

    QElapsedTimer stage;
    stage.start();
    Result<ForwardResult> forward = m_model.forward(clip->input, m_options.captureAttention);
    result.timings.forwardS = stage.nsecsElapsed() * 1e-9;
    if (!forward.ok()) {
        Error error = forward.error();
        if (error.path.isEmpty())
            error.path = decoder.info().path;
        return error;
    }
    if (cancel.isCancelled())
        return Error::cancelled();

    stage.start();
    const FloatArray& logits = forward->logits;
    const int64_t classes = logits.shape.size() == 2 ? logits.shape[1] : 0;
    std::vector<float> summed(static_cast<size_t>(classes), 0.0f);
    for (int64_t view = 0; view < logits.shape[0] && classes > 0; ++view)
        for (int64_t c = 0; c < classes; ++c)
            summed[static_cast<size_t>(c)] += logits.values[static_cast<size_t>(view * classes + c)];
    result.setLogits(std::move(summed), m_labels, m_options.topK);

    if (m_options.captureAttention) {
        const TimeSformerConfig& config = m_model.config();
        const int grid = preset().cropSize / config.patchSize;
        const auto t = static_cast<int>(frames.size());
        Result<FloatArray> spatial =
            AttentionAnalysis::spatialClsMaps(forward->attention, result.attentionView, t, grid, grid);
        // Axial and local-global models have no cls map per frame: they keep the other summaries.
        if (spatial.ok())
            result.spatial = std::move(spatial).value();
        else if (spatial.error().category != ErrorCategory::Unsupported)
            return spatial.error();
        Result<FloatArray> temporal =
            AttentionAnalysis::temporalMaps(forward->attention, result.attentionView, t, grid * grid);
        if (!temporal.ok())
            return temporal.error();
        result.temporal = std::move(temporal).value();
        Result<FloatArray> rollout = AttentionAnalysis::rollout(forward->attention, result.attentionView, t,
                                                                grid, grid, m_options.rollout);
        if (rollout.ok())
            result.rollout = std::move(rollout).value();
        if (rawAttention)
            *rawAttention = std::move(forward->attention);
    }
    result.timings.attentionS = stage.nsecsElapsed() * 1e-9;
    result.timings.totalS = total.nsecsElapsed() * 1e-9;
    return result;
}

} // namespace saccade
