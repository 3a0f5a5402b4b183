#include "core/training/weightdecay.h"

namespace saccade {

bool takesWeightDecay(const std::string& name, const torch::Tensor& value) {
    const bool embedding = name == "cls_token" || name == "pos_embed" || name == "time_embed";
    return value.dim() >= 2 && !embedding;
}

} // namespace saccade
