#include "core/training/finetuneworker.h"

#include <QThread>

namespace saccade {

FinetuneWorker::FinetuneWorker(const FinetuneOptions& options, QObject* parent)
    : QObject(parent), m_options(options) {
    qRegisterMetaType<saccade::FinetuneProgress>();
    qRegisterMetaType<saccade::FinetuneSummary>();
    qRegisterMetaType<saccade::Error>();
}

FinetuneWorker::~FinetuneWorker() {
    if (m_thread) {
        m_cancel.cancel();
        m_thread->wait();
        delete m_thread;
    }
}

void FinetuneWorker::setOptions(const FinetuneOptions& options) {
    if (!isRunning())
        m_options = options;
}

bool FinetuneWorker::isRunning() const {
    return m_thread && m_thread->isRunning();
}

void FinetuneWorker::cancel() {
    m_cancel.cancel();
}

void FinetuneWorker::start() {
    if (isRunning())
        return;
    delete m_thread;
    m_cancel.reset();
    const FinetuneOptions options = m_options;
    const CancellationToken cancel = m_cancel;
    // Signals emitted from the run's thread are queued to this object's thread.
    m_thread = QThread::create([this, options, cancel] {
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
    m_thread->start();
}

} // namespace saccade
