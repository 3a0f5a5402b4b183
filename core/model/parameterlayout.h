#pragma once

#include "core/model/rawtensor.h"
#include "core/model/timesformerconfig.h"
#include "core/util/result.h"

#include <QString>

#include <utility>
#include <vector>

namespace saccade {

/// Every parameter a TimeSformer of `config` has, by research name, with its shape, in module order.
std::vector<std::pair<QString, std::vector<int64_t>>> parameterLayout(const TimeSformerConfig& config);

/// Compares checkpoint tensors with parameterLayout(config): lists every missing key, unexpected key
/// and shape mismatch by name in one InvalidData error naming `path`.
Status checkTensors(const TimeSformerConfig& config, const TensorMap& tensors, const QString& path);

} // namespace saccade
