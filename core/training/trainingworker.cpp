#include "core/training/trainingworker.h"

#include <algorithm>

namespace saccade {

TrainingWorker::TrainingWorker(const TrainingOptions& options, QObject* parent)
    : QObject(parent), m_options(options) {
    qRegisterMetaType<saccade::TrainingProgress>();
    qRegisterMetaType<saccade::TrainingSummary>();
    qRegisterMetaType<saccade::Error>();
}

TrainingWorker::~TrainingWorker() {
    m_job.cancelAndWait();
}

bool TrainingWorker::isRunning() const {
    return m_job.isRunning();
}

void TrainingWorker::cancel() {
    m_job.cancel();
}

void TrainingWorker::start() {
    const TrainingOptions options = m_options;
    // Signals emitted from the training thread are queued to this object's thread.
    m_job.start([this, options](const CancellationToken& cancel) {
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
}

} // namespace saccade
