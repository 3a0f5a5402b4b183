#include "ui/review/viewexporttask.h"

#include <QMetaObject>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <memory>

namespace saccade {

ViewExportTask::ViewExportTask(QObject* parent) : QObject(parent) {
    qRegisterMetaType<saccade::Error>();
    connect(&m_watcher, &QFutureWatcher<Status>::finished, this, [this] {
        const Status status = m_watcher.result();
        if (status.ok())
            Q_EMIT succeeded();
        else
            Q_EMIT failed(status.error());
    });
}

ViewExportTask::~ViewExportTask() {
    m_cancel.cancel();
    m_watcher.waitForFinished();
}

bool ViewExportTask::start(const QString& title, Work work) {
    if (isRunning())
        return false;
    m_title = title;
    m_cancel = CancellationToken();
    const CancellationToken cancel = m_cancel;
    // Reports at most once per percent; the fraction crosses to this object's thread queued.
    auto lastPercent = std::make_shared<std::atomic<int>>(-1);
    // Queued calls to this object are dropped if it is gone; the destructor waits for the work anyway.
    auto progress = [this, lastPercent](double fraction) {
        const int percent = static_cast<int>(std::floor(std::clamp(fraction, 0.0, 1.0) * 100.0));
        if (lastPercent->exchange(percent) == percent)
            return;
        QMetaObject::invokeMethod(
            this, [this, fraction] { Q_EMIT progressChanged(fraction); }, Qt::QueuedConnection);
    };
    m_watcher.setFuture(QtConcurrent::run([work = std::move(work), cancel, progress]() -> Status {
        const Status status = work(cancel, progress);
        if (status.ok() && cancel.isCancelled())
            return Error::cancelled();
        return status;
    }));
    return true;
}

void ViewExportTask::cancel() {
    m_cancel.cancel();
}

bool ViewExportTask::isRunning() const {
    return m_watcher.isRunning();
}

void ViewExportTask::waitForFinished() {
    m_watcher.waitForFinished();
}

} // namespace saccade
