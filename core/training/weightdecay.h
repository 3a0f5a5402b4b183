#pragma once

// Internal to the training code (includes LibTorch).

#include <torch/torch.h>

#include <string>

namespace saccade {

/// Whether AdamW should decay a TimeSformer parameter: matrices do; biases, norms and the cls,
/// position and time embeddings do not (decaying them only pulls them towards zero).
bool takesWeightDecay(const std::string& name, const torch::Tensor& value);

} // namespace saccade
