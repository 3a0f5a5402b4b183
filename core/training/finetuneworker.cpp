#include "core/training/finetuneworker.h"

#include <algorithm>

namespace saccade {

FinetuneWorker::FinetuneWorker(const FinetuneOptions& options, QObject* parent)
    : QObject(parent), m_options(options) {
    qRegisterMetaType<saccade::FinetuneProgress>();
    qRegisterMetaType<saccade::FinetuneSummary>();
    qRegisterMetaType<saccade::Error>();
}

FinetuneWorker::~FinetuneWorker() {
    m_job.cancelAndWait();
}

void FinetuneWorker::setOptions(const FinetuneOptions& options) {
    if (!isRunning())
        m_options = options;
}

bool FinetuneWorker::isRunning() const {
    return m_job.isRunning();
}

void FinetuneWorker::cancel() {
    m_job.cancel();
}

void FinetuneWorker::start() {
    const FinetuneOptions options = m_options;
    // Signals emitted from the run's thread are queued to this object's thread.
    m_job.start([this, options](const CancellationToken& cancel) {
        auto lastPhase = FinetuneProgress::Phase::ExtractingClips;
        int lastPercent = -1;
        Finetuner finetuner(options);
        const Result<FinetuneSummary> result = finetuner.run(cancel, [&](const FinetuneProgress& progress) {
            const int percent = progress.step * 100 / std::max(1, progress.steps);
            if (progress.phase != lastPhase || percent != lastPercent || progress.step == progress.steps) {
                lastPhase = progress.phase;
                lastPercent = percent;
                Q_EMIT progressChanged(progress);
            }
        });
        if (result)
            Q_EMIT succeeded(result.value());
        else
            Q_EMIT failed(result.error());
    });
}

} // namespace saccade
