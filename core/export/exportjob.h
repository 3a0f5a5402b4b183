#pragma once

#include "core/annotation/projectdata.h"
#include "core/export/datasetexport.h"
#include "core/util/cancellationtoken.h"

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QObject>

namespace saccade {

/// Runs a DatasetExport on Qt's global thread pool. Create, connect, start(); signals arrive on the
/// thread that owns the job. progressChanged fires at most every 1% or 100 ms; exactly one finished()
/// or failed() follows start() (failed with a Cancelled error after cancel()).
class ExportJob : public QObject {
    Q_OBJECT
public:
    explicit ExportJob(QObject* parent = nullptr);
    ~ExportJob() override;

    /// Exports a copy of `project`; returns false if a job is already running.
    bool start(ProjectData project, ExportOptions options);
    void cancel();
    bool isRunning() const;
    /// Blocks until the worker is done (for teardown and command-line use).
    void waitForFinished();

Q_SIGNALS:
    void progressChanged(double fraction);
    void finished(const saccade::ExportSummary& summary);
    void failed(const saccade::Error& error);

private:
    void onWorkerProgress(double fraction);

    CancellationToken m_cancel;
    QFutureWatcher<Result<ExportSummary>> m_watcher;
    QElapsedTimer m_sinceReport;
    double m_lastReported = -1.0;
};

} // namespace saccade
