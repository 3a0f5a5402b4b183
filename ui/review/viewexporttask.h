#pragma once

#include "core/util/cancellationtoken.h"
#include "core/util/error.h"
#include "core/util/result.h"

#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <functional>

namespace saccade {

/// Export work: checks `cancel`, reports fractions done through `progress`.
using ViewExportTaskWork =
    std::function<Status(const CancellationToken& cancel, const std::function<void(double)>& progress)>;

/// Runs one export of the attention view (a PNG, an MP4, the arrays) on Qt's thread pool with progress
/// and cancellation. Signals arrive on the thread that owns the task; exactly one of succeeded() or
/// failed() follows start() (failed with a Cancelled error after cancel()). Destroying it cancels the
/// work and waits for it.
class ViewExportTask : public QObject {
    Q_OBJECT
public:
    using Work = ViewExportTaskWork;

    explicit ViewExportTask(QObject* parent = nullptr);
    ~ViewExportTask() override;

    /// Starts `work`, described by `title` ("Exporting overlay.mp4"); false while another runs.
    bool start(const QString& title, Work work);
    void cancel();
    bool isRunning() const;
    QString title() const { return m_title; }
    /// Blocks until the work is done (tests and teardown).
    void waitForFinished();

Q_SIGNALS:
    void progressChanged(double fraction);
    void succeeded();
    void failed(const saccade::Error& error);

private:
    QFutureWatcher<Status> m_watcher;
    CancellationToken m_cancel;
    QString m_title;
};

} // namespace saccade
