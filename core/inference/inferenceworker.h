#pragma once

#include "core/inference/clipanalyzer.h"
#include "core/inference/overlayrenderer.h"
#include "core/inference/windowresult.h"
#include "core/media/clipsampler.h"
#include "core/util/error.h"

#include <QImage>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QThread>

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

namespace saccade {

/// What a loaded model is, for display (no torch types).
struct ModelSummary {
    QString source;
    /// "sha256:<hex>" of the weights, empty for models not read from a file.
    QString hash;
    QString format;
    QString preset;
    QString attentionType;
    QStringList labels;
    int numFrames = 0;
    int gridSize = 0;
    int layers = 0;
    int heads = 0;
    int hiddenSize = 0;
    int patchSize = 0;
    int imageSize = 0;
    qint64 parameterCount = 0;
    /// "float32" or "bfloat16", what the model runs in; the note says why a request was not honoured.
    QString precision;
    QString precisionNote;
    QString device;
    /// Intra-op threads of the model's forward pass.
    int threads = 0;
};

/// The windows a whole-video analysis will produce.
struct AnalysisPlan {
    quint64 generation = 0;
    QString videoPath;
    qint64 frameCount = 0;
    double fps = 0.0;
    std::vector<ClipWindow> windows;
};

struct AnalysisProgress {
    quint64 generation = 0;
    int doneWindows = 0;
    int totalWindows = 0;
    /// Estimated seconds until every window is done (computed windows' mean time times those left);
    /// negative while unknown.
    double secondsLeft = -1.0;
};

struct InferenceSettings {
    ClipAnalyzerOptions analyzer;
    bool useCache = true;
    /// Cache folder; empty: cacheDirectory("analysis").
    QString cacheDirectory;
    qint64 cacheMaxBytes = AnalysisCache::kDefaultMaxBytes;
};

/// Which map to draw over a window's frames.
struct OverlayRequest {
    /// Layer of the spatial cls maps (-1: the last); ignored for the rollout.
    int layer = -1;
    HeadSelection heads;
    bool rollout = false;
    OverlayStyle style;
    /// The overlays fit inside this size with the frame's aspect ratio; empty: the frame's size.
    QSize bounds;
};

/// Runs a TimeSformer over videos on its own thread. The object itself lives on the thread that
/// creates it (the GUI thread) and is used only from there; it owns a QThread on which the model,
/// a decoder of its own and the analysis cache live. Requests go in by the methods below, results
/// come back as queued signals carrying plain values.
///
/// Whole-video analysis cuts the video into sliding windows; the window under the playhead is
/// always computed next, then those after it, then the rest; setPlayhead() re-prioritises at the next
/// window. Every request that changes what is wanted (load, analyse, cancel) starts a new generation;
/// results of older generations are dropped, even if already queued. A forward pass in flight cannot
/// be interrupted, but its result is dropped when it is stale. Errors arrive as signals.
class InferenceWorker : public QObject {
    Q_OBJECT
public:
    explicit InferenceWorker(QObject* parent = nullptr);
    /// Cancels the work and waits for the thread (at most the forward pass in flight).
    ~InferenceWorker() override;

    /// Loads a model (replacing the current one and superseding any analysis); answered by
    /// modelLoaded() or modelFailed(). Returns the new generation.
    quint64 loadModel(const QString& source, const InferenceSettings& settings = {});
    /// Analyses all of `videoPath` with windows every `strideFrames` (<= 0: the window span).
    /// Answered by analysisStarted(), windowReady() and progressChanged() for each window, then
    /// analysisFinished() or analysisFailed(). Returns the new generation.
    quint64 analyseVideo(const QString& videoPath, qint64 strideFrames = 0);
    /// Stops the analysis; nothing more of it is reported.
    void cancel();
    /// The frame the user looks at: its window is computed next.
    void setPlayhead(qint64 frame);
    /// While paused only the window under the playhead is computed (so seeking still shows its
    /// results), not the rest of the video; the window in flight completes.
    void setPaused(bool paused);
    /// Asks for the full spatial matrices (L, T, A, 1+N, 1+N) of window `windowIndex` of the current
    /// analysis (also once it has finished); answered by fullSpatialReady() or fullSpatialFailed().
    void requestFullSpatial(int windowIndex);
    /// Renders `request`'s map for every sampled frame of `window` on the worker thread; answered by
    /// overlaysReady() (images in frame coordinates, scaled to the bounds).
    void requestOverlays(const WindowResult& window, const OverlayRequest& request);

    quint64 generation() const { return m_generation.load(); }

Q_SIGNALS:
    void modelLoaded(quint64 generation, const saccade::ModelSummary& summary);
    void modelFailed(quint64 generation, const saccade::Error& error);
    void analysisStarted(const saccade::AnalysisPlan& plan);
    void windowReady(const saccade::WindowResult& result);
    void progressChanged(const saccade::AnalysisProgress& progress);
    void analysisFinished(quint64 generation);
    void analysisFailed(quint64 generation, const saccade::Error& error);
    void fullSpatialReady(quint64 generation, int windowIndex, const saccade::FloatArray& maps);
    void fullSpatialFailed(quint64 generation, int windowIndex, const saccade::Error& error);
    void overlaysReady(quint64 generation, int windowIndex, const std::vector<QImage>& overlays);

private:
    struct Engine;

    // Runs `work` on the worker thread.
    void post(std::function<void()> work);
    // Runs `report` on this object's thread if `generation` is still current.
    void reply(quint64 generation, std::function<void()> report);
    void scheduleNext();
    void processNext();

    QThread m_thread;
    QObject* m_context = nullptr;
    std::unique_ptr<Engine> m_engine;
    std::atomic<quint64> m_generation{0};
    std::atomic<qint64> m_playhead{0};
    std::atomic<bool> m_paused{false};
    CancellationToken m_cancel;
};

} // namespace saccade

Q_DECLARE_METATYPE(saccade::ModelSummary)
Q_DECLARE_METATYPE(saccade::AnalysisPlan)
Q_DECLARE_METATYPE(saccade::AnalysisProgress)
Q_DECLARE_METATYPE(saccade::FloatArray)
