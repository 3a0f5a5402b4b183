#include "core/util/backgroundjob.h"

#include <QThread>

namespace saccade {

BackgroundJob::BackgroundJob() = default;

BackgroundJob::~BackgroundJob() {
    cancelAndWait();
}

bool BackgroundJob::start(std::function<void(const CancellationToken&)> job) {
    if (isRunning())
        return false;
    m_cancel.reset();
    const CancellationToken cancel = m_cancel;
    m_thread.reset(QThread::create([job = std::move(job), cancel] { job(cancel); }));
    m_thread->start();
    return true;
}

bool BackgroundJob::isRunning() const {
    return m_thread && m_thread->isRunning();
}

void BackgroundJob::cancel() {
    m_cancel.cancel();
}

void BackgroundJob::cancelAndWait() {
    if (!m_thread)
        return;
    m_cancel.cancel();
    m_thread->wait();
}

} // namespace saccade
