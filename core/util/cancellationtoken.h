#pragma once

#include <atomic>
#include <memory>

namespace saccade {

/// A shared flag that long loops (decode, inference, export, training) poll to stop early.
/// Copies share one flag; any thread may cancel, any thread may check.
class CancellationToken {
public:
    CancellationToken();

    void cancel() noexcept;
    bool isCancelled() const noexcept;
    /// Clears the flag so the token can be reused for the next job.
    void reset() noexcept;

private:
    std::shared_ptr<std::atomic<bool>> m_flag;
};

} // namespace saccade
