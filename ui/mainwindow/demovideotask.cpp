#include "ui/mainwindow/demovideotask.h"

#include <QPointer>
#include <QThread>

#include <memory>

namespace saccade {

DemoVideoTask::DemoVideoTask(QObject* parent) : QObject(parent) {}

DemoVideoTask::~DemoVideoTask() {
    if (m_thread) {
        m_cancel.cancel();
        m_thread->wait();
        delete m_thread;
    }
}

bool DemoVideoTask::start(const QString& path, const DemoVideoOptions& options) {
    if (m_thread)
        return false;
    m_cancel = CancellationToken();
    auto status = std::make_shared<Status>();
    const CancellationToken cancel = m_cancel;
    QPointer<DemoVideoTask> self(this);
    m_thread = QThread::create([path, options, cancel, status, self] {
        const DemoVideoComposer composer(options);
        VideoEncoderOptions encoder;
        encoder.preset = QStringLiteral("veryfast");
        *status = composer.encode(path, encoder, cancel, [self](double fraction) {
            QMetaObject::invokeMethod(
                self.data(),
                [self, fraction] {
                    if (self)
                        Q_EMIT self->progressChanged(fraction);
                },
                Qt::QueuedConnection);
        });
    });
    m_thread->setObjectName(QStringLiteral("demo video"));
    connect(m_thread, &QThread::finished, this, [this, path, status] {
        m_thread->deleteLater();
        m_thread = nullptr;
        if (status->ok())
            Q_EMIT finished(path);
        else
            Q_EMIT failed(status->error());
    });
    m_thread->start(QThread::LowPriority);
    return true;
}

void DemoVideoTask::cancel() {
    m_cancel.cancel();
}

} // namespace saccade
