#include "core/inference/inferenceworker.h"

#include "core/inference/analysiscache.h"
#include "core/util/allocatorreuse.h"
#include "core/util/filehash.h"

#include <QElapsedTimer>
#include <QMetaObject>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace saccade {

namespace {

#ifdef Q_OS_LINUX
constexpr int kWorkerNiceness = 10;
#endif

void registerTypes() {
    qRegisterMetaType<saccade::ModelSummary>();
    qRegisterMetaType<saccade::AnalysisPlan>();
    qRegisterMetaType<saccade::AnalysisProgress>();
    qRegisterMetaType<saccade::WindowResult>();
    qRegisterMetaType<saccade::FloatArray>();
    qRegisterMetaType<saccade::Error>();
    qRegisterMetaType<std::vector<QImage>>();
}

ModelSummary summarize(ClipAnalyzer& analyzer) {
    const TimeSformerConfig& config = analyzer.model().config();
    ModelSummary summary;
    summary.source = analyzer.source();
    summary.hash = analyzer.modelHash();
    summary.format = analyzer.model().format();
    summary.preset = analyzer.preset().name;
    summary.attentionType = attentionTypeName(config.attentionType);
    summary.labels = analyzer.labels();
    summary.numFrames = analyzer.preset().numFrames;
    summary.gridSize = analyzer.preset().cropSize / config.patchSize;
    summary.layers = config.depth;
    summary.heads = config.numHeads;
    summary.hiddenSize = config.hiddenSize;
    summary.patchSize = config.patchSize;
    summary.imageSize = config.imageSize;
    summary.parameterCount = analyzer.model().parameterCount();
    summary.precision = analyzer.model().precision() == Precision::BFloat16 ? QStringLiteral("bfloat16")
                                                                            : QStringLiteral("float32");
    summary.precisionNote = analyzer.model().precisionNote();
    summary.device = analyzer.model().deviceName();
    summary.threads = TimeSformerModel::threadCount();
    return summary;
}

} // namespace

// State of the worker thread; touched only there.
struct InferenceWorker::Engine {
    std::unique_ptr<ClipAnalyzer> analyzer;
    std::unique_ptr<AnalysisCache> cache;
    bool scheduled = false;

    struct Job {
        quint64 generation = 0;
        CancellationToken cancel;
        QString videoPath;
        QString videoHash;
        std::unique_ptr<VideoDecoder> decoder;
        std::vector<ClipWindow> windows;
        std::vector<bool> done;
        int doneCount = 0;
        int computedCount = 0;
        double computedSeconds = 0.0;
        // Every window is done; the job stays for requestFullSpatial().
        bool finished = false;
    };
    std::unique_ptr<Job> job;

    // The window to compute next: the one under the playhead (closest centre), else (unless only
    // that one is wanted) the first after it, else the first left; -1 when there is none.
    int pick(qint64 playhead, bool underPlayheadOnly) const {
        const int under = ClipAnalyzer::windowAt(job->windows, playhead);
        if (under >= 0 && !job->done[static_cast<size_t>(under)])
            return under;
        if (underPlayheadOnly)
            return -1;
        for (size_t i = 0; i < job->windows.size(); ++i)
            if (!job->done[i] && job->windows[i].startFrame > playhead)
                return static_cast<int>(i);
        for (size_t i = 0; i < job->windows.size(); ++i)
            if (!job->done[i])
                return static_cast<int>(i);
        return -1;
    }
};

InferenceWorker::InferenceWorker(QObject* parent) : QObject(parent), m_engine(std::make_unique<Engine>()) {
    registerTypes();
    m_thread.setObjectName(QStringLiteral("inference"));
    m_context = new QObject;
    m_context->moveToThread(&m_thread);
    m_thread.start();
    // The GUI thread must stay responsive while the model saturates the cores.
    m_thread.setPriority(QThread::LowPriority);
#ifdef Q_OS_LINUX
    // QThread priorities do nothing under SCHED_OTHER; a nice value does, and the intra-op threads that
    // LibTorch starts from this thread inherit it.
    post([] { setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), kWorkerNiceness); });
#endif
}

InferenceWorker::~InferenceWorker() {
    ++m_generation;
    m_cancel.cancel();
    m_thread.quit();
    m_thread.wait();
    delete m_context;
}

void InferenceWorker::post(std::function<void()> work) {
    QMetaObject::invokeMethod(m_context, std::move(work), Qt::QueuedConnection);
}

void InferenceWorker::reply(quint64 generation, std::function<void()> report) {
    QMetaObject::invokeMethod(
        this,
        [this, generation, report = std::move(report)] {
            if (generation == m_generation.load())
                report();
        },
        Qt::QueuedConnection);
}

quint64 InferenceWorker::loadModel(const QString& source, const InferenceSettings& settings) {
    const quint64 generation = ++m_generation;
    m_cancel.cancel();
    m_cancel = CancellationToken();
    const CancellationToken cancel = m_cancel;
    post([this, generation, source, settings, cancel] {
        Engine& engine = *m_engine;
        engine.job.reset();
        engine.analyzer.reset();
        Result<std::unique_ptr<ClipAnalyzer>> analyzer =
            ClipAnalyzer::load(source, settings.analyzer, cancel);
        if (!analyzer.ok()) {
            const Error error = analyzer.error();
            reply(generation, [this, generation, error] { Q_EMIT modelFailed(generation, error); });
            return;
        }
        engine.analyzer = std::move(analyzer).value();
        engine.cache.reset();
        if (settings.useCache && !engine.analyzer->modelHash().isEmpty())
            engine.cache = std::make_unique<AnalysisCache>(settings.cacheDirectory, settings.cacheMaxBytes);
        const ModelSummary summary = summarize(*engine.analyzer);
        reply(generation, [this, generation, summary] { Q_EMIT modelLoaded(generation, summary); });
    });
    return generation;
}

quint64 InferenceWorker::analyseVideo(const QString& videoPath, qint64 strideFrames) {
    const quint64 generation = ++m_generation;
    m_cancel.cancel();
    m_cancel = CancellationToken();
    const CancellationToken cancel = m_cancel;
    post([this, generation, videoPath, strideFrames, cancel] {
        Engine& engine = *m_engine;
        engine.job.reset();
        auto fail = [this, generation](const Error& error) {
            reply(generation, [this, generation, error] { Q_EMIT analysisFailed(generation, error); });
        };
        if (generation != m_generation.load())
            return;
        if (!engine.analyzer)
            return fail(Error::invalidArgument(QStringLiteral("no model is loaded")));
        auto job = std::make_unique<Engine::Job>();
        job->generation = generation;
        job->cancel = cancel;
        job->videoPath = videoPath;
        Result<AnalysisVideo> video = openAnalysisVideo(videoPath, cancel);
        if (!video.ok())
            return fail(video.error());
        job->decoder = std::move(video->decoder);
        if (engine.cache) {
            Result<QString> hash = sampledContentHash(videoPath);
            if (hash.ok())
                job->videoHash = hash.value();
        }
        const double fps = video->fps;
        const qint64 frameCount = video->frameCount;
        job->windows = engine.analyzer->windows(frameCount, fps, strideFrames);
        job->done.assign(job->windows.size(), false);
        const AnalysisPlan plan{generation, videoPath, frameCount, fps, job->windows};
        engine.job = std::move(job);
        reply(generation, [this, plan] { Q_EMIT analysisStarted(plan); });
        scheduleNext();
    });
    return generation;
}

void InferenceWorker::cancel() {
    ++m_generation;
    m_cancel.cancel();
    m_cancel = CancellationToken();
}

void InferenceWorker::setPlayhead(qint64 frame) {
    m_playhead = frame;
    if (m_paused.load())
        post([this] { scheduleNext(); });
}

void InferenceWorker::setPaused(bool paused) {
    m_paused = paused;
    if (!paused)
        post([this] { scheduleNext(); });
}

// Worker thread: one window per event-loop turn, so requests queued meanwhile are seen in between.
void InferenceWorker::scheduleNext() {
    Engine& engine = *m_engine;
    if (engine.scheduled || !engine.job || engine.job->finished)
        return;
    engine.scheduled = true;
    QMetaObject::invokeMethod(
        m_context, [this] { processNext(); }, Qt::QueuedConnection);
}

void InferenceWorker::processNext() {
    Engine& engine = *m_engine;
    engine.scheduled = false;
    Engine::Job* job = engine.job.get();
    if (!job)
        return;
    const quint64 generation = job->generation;
    if (generation != m_generation.load() || job->cancel.isCancelled()) {
        engine.job.reset();
        return;
    }
    const int index = engine.pick(m_playhead.load(), m_paused.load());
    if (index < 0 && m_paused.load())
        return;
    if (index < 0) {
        job->finished = true;
        returnFreedMemory();
        reply(generation, [this, generation] { Q_EMIT analysisFinished(generation); });
        return;
    }
    const ClipWindow& window = job->windows[static_cast<size_t>(index)];
    QElapsedTimer timer;
    timer.start();
    Result<WindowResult> result = engine.analyzer->analyseWindow(*job->decoder, window, job->videoHash,
                                                                 engine.cache.get(), job->cancel);
    if (!result.ok()) {
        const Error error = result.error();
        engine.job.reset();
        if (error.category != ErrorCategory::Cancelled)
            reply(generation, [this, generation, error] { Q_EMIT analysisFailed(generation, error); });
        return;
    }
    if (!result->fromCache) {
        ++job->computedCount;
        job->computedSeconds += timer.nsecsElapsed() * 1e-9;
    }
    result->generation = generation;
    result->windowIndex = index;
    result->startFrame = window.startFrame;
    result->endFrame = window.endFrame;
    job->done[static_cast<size_t>(index)] = true;
    ++job->doneCount;
    AnalysisProgress progress;
    progress.generation = generation;
    progress.doneWindows = job->doneCount;
    progress.totalWindows = static_cast<int>(job->windows.size());
    if (job->computedCount > 0)
        progress.secondsLeft =
            job->computedSeconds / job->computedCount * (progress.totalWindows - progress.doneWindows);
    else if (progress.doneWindows == progress.totalWindows)
        progress.secondsLeft = 0.0;
    reply(generation, [this, result = std::move(result).value(), progress] {
        Q_EMIT windowReady(result);
        Q_EMIT progressChanged(progress);
    });
    scheduleNext();
}

void InferenceWorker::requestFullSpatial(int windowIndex) {
    const quint64 generation = m_generation.load();
    post([this, generation, windowIndex] {
        Engine& engine = *m_engine;
        Engine::Job* job = engine.job.get();
        auto fail = [this, generation, windowIndex](const Error& error) {
            reply(generation, [this, generation, windowIndex, error] {
                Q_EMIT fullSpatialFailed(generation, windowIndex, error);
            });
        };
        if (!job || job->generation != generation)
            return fail(Error::invalidArgument(QStringLiteral("no analysis is running")));
        if (windowIndex < 0 || windowIndex >= static_cast<int>(job->windows.size()))
            return fail(Error::invalidArgument(QStringLiteral("window %1 does not exist").arg(windowIndex)));
        std::vector<AttentionMap> maps;
        const ClipWindow& window = job->windows[static_cast<size_t>(windowIndex)];
        Result<WindowResult> computed =
            engine.analyzer->analyse(*job->decoder, window.frames, job->cancel, &maps);
        if (!computed.ok())
            return fail(computed.error());
        Result<FloatArray> full = AttentionAnalysis::fullSpatialMaps(maps, computed->attentionView,
                                                                     static_cast<int>(window.frames.size()));
        if (!full.ok())
            return fail(full.error());
        reply(generation, [this, generation, windowIndex, full = std::move(full).value()] {
            Q_EMIT fullSpatialReady(generation, windowIndex, full);
        });
    });
}

void InferenceWorker::requestOverlays(const WindowResult& window, const OverlayRequest& request) {
    const quint64 generation = m_generation.load();
    post([this, generation, window, request] {
        std::vector<QImage> overlays;
        const QRect box = window.attentionBox();
        const QSize imageSize = request.bounds.isEmpty()
                                    ? window.frameSize
                                    : window.frameSize.scaled(request.bounds, Qt::KeepAspectRatio);
        const FloatArray& source = request.rollout ? window.rollout : window.spatial;
        for (int t = 0; t < static_cast<int>(window.frames.size()); ++t) {
            Result<std::vector<float>> map =
                request.rollout
                    ? AttentionAnalysis::selectRollout(source, t)
                    : AttentionAnalysis::selectSpatial(
                          source,
                          request.layer >= 0 ? request.layer
                                             : int(source.shape.empty() ? 0 : source.shape[0] - 1),
                          request.heads, t);
            if (!map.ok()) {
                const Error error = map.error();
                reply(generation, [this, generation, error] { Q_EMIT analysisFailed(generation, error); });
                return;
            }
            const int rows = static_cast<int>(source.shape[source.shape.size() - 2]);
            const int columns = static_cast<int>(source.shape.back());
            overlays.push_back(OverlayRenderer::render(map.value(), rows, columns, window.frameSize, box,
                                                       imageSize, request.style));
        }
        reply(generation, [this, generation, index = window.windowIndex, overlays = std::move(overlays)] {
            Q_EMIT overlaysReady(generation, index, overlays);
        });
    });
}

} // namespace saccade
