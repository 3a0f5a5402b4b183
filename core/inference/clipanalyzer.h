#pragma once

#include "core/inference/analysiscache.h"
#include "core/inference/attentionanalysis.h"
#include "core/inference/preprocessing.h"
#include "core/inference/windowresult.h"
#include "core/media/clipsampler.h"
#include "core/media/videodecoder.h"
#include "core/model/timesformermodel.h"
#include "core/util/cancellationtoken.h"
#include "core/util/result.h"

#include <functional>
#include <memory>

namespace saccade {

/// Windows per clip span of dense analysis by default: a quarter span apart. Measured on the demo
/// videos (README, Inference): 4 gets the boundaries within a few frames at about 1.3x the time of
/// windows a whole span apart; 8 adds little.
constexpr int kDefaultWindowsPerSpan = 4;

struct ClipAnalyzerOptions {
    ModelOptions model;
    /// Preprocessing preset name; empty: the one the model's config names.
    QString preset;
    /// Spatial views (1 or 3); 0 keeps the preset's.
    int views = 0;
    /// Clip sampling rate relative to 30 fps; 0 keeps the model's (HF configs do not store it).
    int samplingRate = 0;
    int topK = 5;
    /// Dense analysis: windows per clip span (the stride is span / windowsPerSpan, whole grid steps).
    int windowsPerSpan = kDefaultWindowsPerSpan;
    bool captureAttention = true;
    /// Windows run through the model together when attention is not captured.
    int batchWindows = 8;
    RolloutOptions rollout;
};

/// A model ready to analyse clips of videos: weights, their identity and the preprocessing, with the
/// pipeline decode -> preprocess -> forward -> attention summaries. Not thread-safe: one thread at a
/// time (the inference worker's, or a command's).
class ClipAnalyzer {
public:
    /// Prefix of sources that build a model with fresh random weights from a TimeSformerConfig preset
    /// ("random:base"), for benchmarks; such models have no hash and are never cached.
    static constexpr char kRandomPrefix[] = "random:";

    /// Loads `source` (checkpoint file, HF directory, "demo" or "random:PRESET") and hashes its weights.
    static Result<std::unique_ptr<ClipAnalyzer>>
    load(const QString& source, const ClipAnalyzerOptions& options, const CancellationToken& cancel = {});
    /// Wraps a model that is already built; `modelHash` may be empty (then nothing is cached).
    static Result<std::unique_ptr<ClipAnalyzer>> fromModel(TimeSformerModel model, const QString& source,
                                                           const QString& modelHash,
                                                           const ClipAnalyzerOptions& options);

    TimeSformerModel& model() { return m_model; }
    const QString& source() const { return m_source; }
    /// "sha256:<hex>" of the weights file, or empty.
    const QString& modelHash() const { return m_modelHash; }
    const PreprocessPreset& preset() const { return m_preprocessor.preset(); }
    const ClipAnalyzerOptions& options() const { return m_options; }
    QStringList labels() const { return m_labels; }

    /// Dense windows over a video (ClipSampler::gridWindows): one clip span each, every `strideFrames`
    /// rounded to whole grid steps (<= 0: span / windowsPerSpan).
    std::vector<ClipWindow> windows(qint64 frameCount, double fps, qint64 strideFrames = 0) const;

    /// The window under `frame`: among those containing it, the one whose centre is closest; -1 if none.
    static int windowAt(const std::vector<ClipWindow>& windows, qint64 frame);

    /// What identifies `window` of the video with content hash `videoHash` in the analysis cache.
    WindowCacheKey cacheKey(const QString& videoHash, const ClipWindow& window) const;

    /// One window of a video: served from `cache` when it holds it (and then `cache` may be null),
    /// else computed and stored. Fills the window's frame range; `windowIndex` is the caller's.
    Result<WindowResult> analyseWindow(VideoDecoder& decoder, const ClipWindow& window,
                                       const QString& videoHash, const AnalysisCache* cache,
                                       const CancellationToken& cancel = {});

    /// Every window of `windows`, in order: cached ones from `cache`, the rest computed (in batches of
    /// batchWindows when attention is not captured; each frame is decoded once when the windows come
    /// in time order) and stored. `progress` gets the number of windows done after each batch.
    Result<std::vector<WindowResult>> analyseWindows(VideoDecoder& decoder,
                                                     const std::vector<ClipWindow>& windows,
                                                     const QString& videoHash, const AnalysisCache* cache,
                                                     const CancellationToken& cancel = {},
                                                     const std::function<void(int)>& progress = {});

    /// Frames decoded for analysis so far (each frame once while windows come in order).
    qint64 decodedFrames() const { return m_preprocessor.decodedFrames(); }

    /// Runs the pipeline on the source frames `frames`. `rawAttention`, when given, receives the
    /// captured maps (for the full spatial matrices). Cancellation is checked between stages.
    Result<WindowResult> analyse(VideoDecoder& decoder, const std::vector<qint64>& frames,
                                 const CancellationToken& cancel = {},
                                 std::vector<AttentionMap>* rawAttention = nullptr);

private:
    ClipAnalyzer(TimeSformerModel model, PreprocessPreset preset, ClipAnalyzerOptions options);
    // Runs windows[pending] through the model as one batch into results[pending].
    Status analyseBatch(VideoDecoder& decoder, const std::vector<ClipWindow>& windows,
                        const std::vector<size_t>& pending, std::vector<WindowResult>& results,
                        const CancellationToken& cancel);

    TimeSformerModel m_model;
    ClipPreprocessor m_preprocessor;
    ClipAnalyzerOptions m_options;
    QString m_source;
    QString m_modelHash;
    QStringList m_labels;
};

/// A video opened for analysis: its decoder, exact frame count and frame rate.
struct AnalysisVideo {
    std::unique_ptr<VideoDecoder> decoder;
    qint64 frameCount = 0;
    double fps = 0.0;
};

/// Opens `path` and counts its frames; a video without frames or frame rate is an error naming it.
Result<AnalysisVideo> openAnalysisVideo(const QString& path, const CancellationToken& cancel = {});

/// The file whose bytes identify the weights of `source` (the checkpoint, or the weights inside an
/// HF directory).
QString modelWeightsFile(const QString& source);

} // namespace saccade
