#pragma once

#include "core/training/finetuner.h"
#include "core/util/backgroundjob.h"
#include "core/util/error.h"

#include <QObject>

namespace saccade {

/// Runs a Finetuner on its own thread and reports through signals (queued to the thread that owns the
/// worker, usually the UI thread). Destroying the worker cancels the run and waits for it.
class FinetuneWorker : public QObject {
    Q_OBJECT

public:
    explicit FinetuneWorker(const FinetuneOptions& options, QObject* parent = nullptr);
    ~FinetuneWorker() override;

    const FinetuneOptions& options() const { return m_options; }
    /// Options for the next start(); ignored while a run is in progress.
    void setOptions(const FinetuneOptions& options);

    /// Starts fine-tuning; does nothing while a run is in progress.
    void start();
    /// Asks the run to stop at the next clip or step; it then fails with a Cancelled error and writes
    /// nothing.
    void cancel();
    bool isRunning() const;

Q_SIGNALS:
    /// After every clip extracted and every optimizer step, at most once per percent of a phase.
    void progressChanged(const saccade::FinetuneProgress& progress);
    void succeeded(const saccade::FinetuneSummary& summary);
    void failed(const saccade::Error& error);

private:
    FinetuneOptions m_options;
    BackgroundJob m_job;
};

} // namespace saccade
