#include "core/export/exportjob.h"

#include <QMetaObject>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>

namespace saccade {

ExportJob::ExportJob(QObject* parent) : QObject(parent) {
    connect(&m_watcher, &QFutureWatcher<Result<ExportSummary>>::finished, this, [this] {
        const Result<ExportSummary> result = m_watcher.result();
        if (result.ok()) {
            if (m_lastReported < 1.0) {
                m_lastReported = 1.0;
                Q_EMIT progressChanged(1.0);
            }
            Q_EMIT finished(result.value());
        } else {
            Q_EMIT failed(result.error());
        }
    });
}

ExportJob::~ExportJob() {
    m_cancel.cancel();
    m_watcher.waitForFinished();
}

bool ExportJob::start(ProjectData project, ExportOptions options) {
    if (isRunning())
        return false;
    m_cancel = CancellationToken();
    m_lastReported = -1.0;
    m_sinceReport.start();
    CancellationToken cancel = m_cancel;
    auto progress = [this](double fraction) {
        // Hop to the job's thread; the job outlives the worker (its destructor waits).
        QMetaObject::invokeMethod(
            this, [this, fraction] { onWorkerProgress(fraction); }, Qt::QueuedConnection);
    };
    m_watcher.setFuture(QtConcurrent::run([project = std::move(project), options = std::move(options), cancel,
                                           progress]() -> Result<ExportSummary> {
        try {
            return DatasetExport::run(project, options, cancel, progress);
        } catch (const std::exception& exception) {
            return Error{ErrorCategory::Internal,
                         QStringLiteral("export failed: %1").arg(QString::fromLocal8Bit(exception.what())),
                         options.outputDirectory};
        }
    }));
    return true;
}

void ExportJob::cancel() {
    m_cancel.cancel();
}

bool ExportJob::isRunning() const {
    return m_watcher.isRunning();
}

void ExportJob::waitForFinished() {
    m_watcher.waitForFinished();
}

void ExportJob::onWorkerProgress(double fraction) {
    if (fraction <= m_lastReported ||
        (fraction < 1.0 && fraction - m_lastReported < 0.01 && m_sinceReport.elapsed() < 100))
        return;
    m_lastReported = fraction;
    m_sinceReport.restart();
    Q_EMIT progressChanged(fraction);
}

} // namespace saccade
