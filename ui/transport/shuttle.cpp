#include "ui/transport/shuttle.h"

#include <algorithm>

namespace saccade {

double Shuttle::forward() {
    m_rate = m_rate <= 0.0 ? 1.0 : std::min(m_rate * 2.0, kMaxRate);
    return m_rate;
}

double Shuttle::backward() {
    m_rate = m_rate >= 0.0 ? -1.0 : std::max(m_rate * 2.0, -kMaxRate);
    return m_rate;
}

} // namespace saccade
