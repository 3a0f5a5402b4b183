#pragma once

#include "core/training/demovideocomposer.h"
#include "core/util/cancellationtoken.h"
#include "core/util/error.h"

#include <QObject>
#include <QString>

class QThread;

namespace saccade {

/// Renders and encodes the synthetic demo video on a thread of its own. Lives on the GUI thread;
/// signals arrive there. Destroying it cancels the encode and waits for the thread.
class DemoVideoTask : public QObject {
    Q_OBJECT
public:
    explicit DemoVideoTask(QObject* parent = nullptr);
    ~DemoVideoTask() override;

    /// Starts writing the video to `path`; false when a video is already being written.
    bool start(const QString& path, const DemoVideoOptions& options = {});
    void cancel();
    bool isRunning() const { return m_thread != nullptr; }

Q_SIGNALS:
    void progressChanged(double fraction);
    void finished(const QString& path);
    void failed(const saccade::Error& error);

private:
    QThread* m_thread = nullptr;
    CancellationToken m_cancel;
};

} // namespace saccade
