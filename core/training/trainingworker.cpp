#include "core/training/trainingworker.h"

#include <QThread>

namespace saccade {

TrainingWorker::TrainingWorker(const TrainingOptions& options, QObject* parent)
    : QObject(parent), m_options(options) {
    qRegisterMetaType<saccade::TrainingProgress>();
    qRegisterMetaType<saccade::TrainingSummary>();
    qRegisterMetaType<saccade::Error>();
}

TrainingWorker::~TrainingWorker() {
    if (m_thread) {
        m_cancel.cancel();
        m_thread->wait();
        delete m_thread;
    }
}

bool TrainingWorker::isRunning() const {
    return m_thread && m_thread->isRunning();
}

void TrainingWorker::cancel() {
    m_cancel.cancel();
}

void TrainingWorker::start() {
    if (isRunning())
        return;
    delete m_thread;
    m_cancel.reset();
    const TrainingOptions options = m_options;
    const CancellationToken cancel = m_cancel;
    // Signals emitted from the training thread are queued to this object's thread.
    m_thread = QThread::create([this, options, cancel] {
        int lastReported = -1;
        Trainer trainer(options);
        const Result<TrainingSummary> result = trainer.run(cancel, [&](const TrainingProgress& progress) {
            const int percent = progress.step * 100 / std::max(1, progress.steps);
            if (percent != lastReported || progress.step == progress.steps) {
                lastReported = percent;
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
