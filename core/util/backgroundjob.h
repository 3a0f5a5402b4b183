#pragma once

#include "core/util/cancellationtoken.h"

#include <functional>
#include <memory>

class QThread;

namespace saccade {

/// One long job at a time on a thread of its own, with the token that cancels it. Owners that emit
/// signals from the job call cancelAndWait() in their destructor, before their members go.
class BackgroundJob {
public:
    BackgroundJob();
    ~BackgroundJob();
    BackgroundJob(const BackgroundJob&) = delete;
    BackgroundJob& operator=(const BackgroundJob&) = delete;

    /// Runs `job` with a fresh token; does nothing and returns false while a job is running.
    bool start(std::function<void(const CancellationToken&)> job);
    bool isRunning() const;
    /// Asks the job to stop; it sees the token cancelled at its next check.
    void cancel();
    void cancelAndWait();

private:
    CancellationToken m_cancel;
    std::unique_ptr<QThread> m_thread;
};

} // namespace saccade
