#include "core/util/cancellationtoken.h"

namespace saccade {

CancellationToken::CancellationToken() : m_flag(std::make_shared<std::atomic<bool>>(false)) {}

void CancellationToken::cancel() noexcept {
    m_flag->store(true, std::memory_order_relaxed);
}

bool CancellationToken::isCancelled() const noexcept {
    return m_flag->load(std::memory_order_relaxed);
}

void CancellationToken::reset() noexcept {
    m_flag->store(false, std::memory_order_relaxed);
}

} // namespace saccade
