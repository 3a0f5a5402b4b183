#include "core/model/shortsequenceattention.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

namespace saccade {

namespace {

struct Layout {
    int64_t heads;
    int64_t dim;
    float scale;
};

// Attention of sequences [begin, end) x heads, each indexed row * heads + head. The length is a
// template parameter so the score loops unroll into registers.
template <int64_t Length>
void attendSequences(const float* __restrict qkv, float* __restrict out, int64_t begin, int64_t end,
                     const Layout& layout) {
    const int64_t dim = layout.dim;
    const int64_t headSize = dim / layout.heads;
    const int64_t tokenStride = 3 * dim;
    // Scaled keys, transposed so each q element updates all scores with one contiguous row.
    alignas(32) float keys[ShortSequenceAttention::kMaxHeadSize * Length];
    for (int64_t sequence = begin; sequence < end; ++sequence) {
        const int64_t row = sequence / layout.heads;
        const int64_t head = sequence % layout.heads;
        const float* base = qkv + row * Length * tokenStride + head * headSize;
        for (int64_t j = 0; j < Length; ++j) {
            const float* key = base + j * tokenStride + dim;
            for (int64_t c = 0; c < headSize; ++c)
                keys[c * Length + j] = key[c] * layout.scale;
        }
        for (int64_t i = 0; i < Length; ++i) {
            const float* query = base + i * tokenStride;
            alignas(32) float weights[Length] = {};
            for (int64_t c = 0; c < headSize; ++c) {
                const float q = query[c];
                const float* keyColumn = keys + c * Length;
                for (int64_t j = 0; j < Length; ++j)
                    weights[j] += q * keyColumn[j];
            }
            const float largest = *std::max_element(weights, weights + Length);
            float total = 0.0f;
            for (int64_t j = 0; j < Length; ++j) {
                weights[j] = std::exp(weights[j] - largest);
                total += weights[j];
            }
            const float normaliser = 1.0f / total;
            float* __restrict mixed = out + (row * Length + i) * dim + head * headSize;
            std::fill(mixed, mixed + headSize, 0.0f);
            for (int64_t j = 0; j < Length; ++j) {
                const float weight = weights[j] * normaliser;
                const float* value = base + j * tokenStride + 2 * dim;
                for (int64_t c = 0; c < headSize; ++c)
                    mixed[c] += weight * value[c];
            }
        }
    }
}

using SequenceKernel = void (*)(const float*, float*, int64_t, int64_t, const Layout&);

template <int64_t... Lengths>
constexpr std::array<SequenceKernel, sizeof...(Lengths)>
kernelsFor(std::integer_sequence<int64_t, Lengths...>) {
    return {&attendSequences<Lengths + 1>...};
}

// kKernels[length - 1] handles sequences of `length` tokens.
constexpr auto kKernels =
    kernelsFor(std::make_integer_sequence<int64_t, ShortSequenceAttention::kMaxLength>());

} // namespace

bool ShortSequenceAttention::applies(const torch::Tensor& qkv, int64_t heads) {
    if (!qkv.defined() || qkv.dim() != 3 || qkv.scalar_type() != torch::kFloat32 || !qkv.is_cpu() ||
        !qkv.is_contiguous() || qkv.requires_grad() || heads < 1)
        return false;
    const int64_t length = qkv.size(1);
    const int64_t width = qkv.size(2);
    return length >= 1 && length <= kMaxLength && width % (3 * heads) == 0 &&
           width / (3 * heads) <= kMaxHeadSize;
}

torch::Tensor ShortSequenceAttention::attend(const torch::Tensor& qkv, int64_t heads, double scale) {
    TORCH_CHECK(applies(qkv, heads), "short-sequence attention does not apply to this input");
    const int64_t rows = qkv.size(0);
    const int64_t length = qkv.size(1);
    const Layout layout{heads, qkv.size(2) / 3, static_cast<float>(scale)};
    torch::Tensor out = torch::empty({rows, length, layout.dim}, qkv.options());
    const float* in = qkv.data_ptr<float>();
    float* result = out.data_ptr<float>();
    const SequenceKernel kernel = kKernels[length - 1];
    // A grain of a few hundred sequences keeps the threads' share of work well above their start-up.
    at::parallel_for(0, rows * heads, 256,
                     [&](int64_t begin, int64_t end) { kernel(in, result, begin, end, layout); });
    return out;
}

} // namespace saccade
