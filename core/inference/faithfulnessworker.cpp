#include "core/inference/faithfulnessworker.h"

#include "core/inference/clipanalyzer.h"
#include "core/inference/preprocessing.h"

#include <QMetaObject>

#include <algorithm>
#include <cmath>

namespace saccade {

// State of the worker thread; touched only there.
struct FaithfulnessWorker::Engine {
    QString modelKey;
    std::unique_ptr<ClipAnalyzer> analyzer;
    QString videoPath;
    std::unique_ptr<VideoDecoder> decoder;

    Status ensureModel(const FaithfulnessRequest& request, const CancellationToken& cancel) {
        const QString key = request.modelSource + QLatin1Char('\n') + request.preset;
        if (analyzer && key == modelKey)
            return {};
        analyzer.reset();
        ClipAnalyzerOptions options;
        options.preset = request.preset;
        // The check masks the centre crop only: the view whose attention the window keeps.
        options.views = 1;
        options.captureAttention = false;
        // Fresh random weights would differ from the ones that were analysed.
        if (request.modelSource.startsWith(QLatin1String(ClipAnalyzer::kRandomPrefix)))
            return Error::invalidArgument(QStringLiteral("a model with fresh random weights cannot be "
                                                         "checked again: its weights are not stored"));
        Result<TimeSformerModel> model = TimeSformerModel::load(request.modelSource, options.model);
        if (!model.ok())
            return model.error();
        if (cancel.isCancelled())
            return Error::cancelled();
        // No weights hash: nothing the check computes is cached.
        Result<std::unique_ptr<ClipAnalyzer>> loaded =
            ClipAnalyzer::fromModel(std::move(model).value(), request.modelSource, QString(), options);
        if (!loaded.ok())
            return loaded.error();
        analyzer = std::move(loaded).value();
        modelKey = key;
        return {};
    }

    Status ensureVideo(const QString& path, const CancellationToken& cancel) {
        if (decoder && path == videoPath)
            return {};
        decoder.reset();
        Result<AnalysisVideo> video = openAnalysisVideo(path, cancel);
        if (!video.ok())
            return video.error();
        decoder = std::move(video->decoder);
        videoPath = path;
        return {};
    }
};

FaithfulnessWorker::FaithfulnessWorker(QObject* parent)
    : QObject(parent), m_engine(std::make_unique<Engine>()) {
    qRegisterMetaType<saccade::FaithfulnessResult>();
    qRegisterMetaType<saccade::Error>();
    m_thread.setObjectName(QStringLiteral("faithfulness"));
    m_context = new QObject;
    m_context->moveToThread(&m_thread);
    m_thread.start(QThread::LowPriority);
}

FaithfulnessWorker::~FaithfulnessWorker() {
    ++m_generation;
    m_cancel.cancel();
    m_thread.quit();
    m_thread.wait();
    delete m_context;
}

void FaithfulnessWorker::reply(quint64 generation, std::function<void()> report) {
    QMetaObject::invokeMethod(
        this,
        [this, generation, report = std::move(report)] {
            if (generation != m_generation.load())
                return;
            report();
        },
        Qt::QueuedConnection);
}

void FaithfulnessWorker::cancel() {
    ++m_generation;
    m_cancel.cancel();
    m_cancel = CancellationToken();
    m_running = false;
}

void FaithfulnessWorker::start(const FaithfulnessRequest& request) {
    cancel();
    const quint64 generation = m_generation.load();
    const CancellationToken cancelToken = m_cancel;
    m_running = true;
    QMetaObject::invokeMethod(
        m_context,
        [this, generation, request, cancelToken] {
            auto fail = [this, generation](const Error& error) {
                reply(generation, [this, error] {
                    m_running = false;
                    Q_EMIT failed(error);
                });
            };
            auto progress = [this, generation](double fraction, const QString& stage) {
                reply(generation, [this, fraction, stage] { Q_EMIT progressChanged(fraction, stage); });
            };
            if (generation != m_generation.load())
                return;
            Engine& engine = *m_engine;
            progress(0.0, tr("Loading the model"));
            if (Status status = engine.ensureModel(request, cancelToken); !status.ok())
                return fail(status.error());
            progress(0.0, tr("Decoding the window"));
            if (Status status = engine.ensureVideo(request.videoPath, cancelToken); !status.ok())
                return fail(status.error());
            ClipPreprocessor preprocessor(engine.analyzer->preset());
            Result<PreparedClip> clip = preprocessor.prepare(*engine.decoder, request.frames, cancelToken);
            if (!clip.ok())
                return fail(clip.error());
            const int passes = 2 + std::max(0, request.options.randomDraws);
            auto onPass = [&](double fraction) {
                const int done = static_cast<int>(std::lround(fraction * passes));
                progress(fraction,
                         done < passes ? tr("Masked run %1 of %2").arg(done + 1).arg(passes) : tr("Done"));
            };
            progress(0.0, tr("Masked run 1 of %1").arg(passes));
            TimeSformerModel& model = engine.analyzer->model();
            Result<FaithfulnessResult> result = FaithfulnessCheck::run(
                clip->input, request.map, model.config().patchSize, FaithfulnessCheck::modelScore(model),
                request.options, cancelToken, onPass);
            if (!result.ok())
                return fail(result.error());
            reply(generation, [this, result = std::move(result).value()] {
                m_running = false;
                Q_EMIT finished(result);
            });
        },
        Qt::QueuedConnection);
}

} // namespace saccade
