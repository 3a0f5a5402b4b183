#pragma once

#include "core/training/trainer.h"
#include "core/util/backgroundjob.h"
#include "core/util/error.h"

#include <QObject>

namespace saccade {

/// Runs a Trainer on its own thread and reports through signals (queued to the thread that owns the
/// worker, usually the UI thread). Destroying the worker cancels the training and waits for it.
class TrainingWorker : public QObject {
    Q_OBJECT

public:
    explicit TrainingWorker(const TrainingOptions& options, QObject* parent = nullptr);
    ~TrainingWorker() override;

    /// Starts training; does nothing while a run is in progress.
    void start();
    /// Asks the run to stop after the current step (a checkpoint is written).
    void cancel();
    bool isRunning() const;

Q_SIGNALS:
    /// At most every 1% of the steps, and after the last one.
    void progressChanged(const saccade::TrainingProgress& progress);
    void succeeded(const saccade::TrainingSummary& summary);
    void failed(const saccade::Error& error);

private:
    TrainingOptions m_options;
    BackgroundJob m_job;
};

} // namespace saccade
