#pragma once

#include <vector>

namespace saccade {

/// Nearest-rank percentile: the smallest value with at least `share` (0..1) of the values at or below
/// it; 0 for no values. Benchmarks report their latencies with it.
double percentile(std::vector<double> values, double share);

} // namespace saccade
