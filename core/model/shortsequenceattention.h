#pragma once

#include <torch/torch.h>

namespace saccade {

/// Multi-head softmax attention over short sequences (TimeSformer's temporal attention: one sequence
/// of T frames per patch), computed in one pass per sequence and head straight from the fused qkv
/// projection. The general path makes thousands of tiny BLAS calls and copies q, the scores and the
/// output between layouts; here the few T x T scores stay in registers. Inference only.
class ShortSequenceAttention {
public:
    static constexpr int64_t kMaxLength = 16;
    static constexpr int64_t kMaxHeadSize = 256;

    /// True when `qkv` (rows, length, 3 * dim) is a contiguous float32 CPU tensor needing no
    /// gradient, with length <= kMaxLength and dim / heads <= kMaxHeadSize.
    static bool applies(const torch::Tensor& qkv, int64_t heads);

    /// softmax(scale * q k^T) v for every row and head, q, k and v read from `qkv` laid out as
    /// (rows, length, 3, heads, dim / heads). Returns (rows, length, dim) with the heads side by side,
    /// the layout the output projection takes. Requires applies().
    static torch::Tensor attend(const torch::Tensor& qkv, int64_t heads, double scale);
};

} // namespace saccade
