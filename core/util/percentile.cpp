#include "core/util/percentile.h"

#include <algorithm>
#include <cmath>

namespace saccade {

double percentile(std::vector<double> values, double share) {
    if (values.empty())
        return 0.0;
    std::sort(values.begin(), values.end());
    const auto rank = static_cast<size_t>(std::ceil(std::clamp(share, 0.0, 1.0) * double(values.size())));
    return values[std::min(values.size() - 1, rank == 0 ? 0 : rank - 1)];
}

} // namespace saccade
