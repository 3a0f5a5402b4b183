#pragma once

// Internal to the model, inference and training code: the LibTorch modules behind TimeSformerModel.
// Everything else uses the torch-free TimeSformerModel facade.

#include "core/model/timesformerconfig.h"

#include <torch/torch.h>

#include <string>
#include <vector>

namespace saccade {

/// One captured softmax output: kind ("space", "time", "joint", "width", "height", "local", "global"),
/// block index, probabilities (rows, heads, queries, keys).
struct CapturedAttention {
    std::string kind;
    int layer = 0;
    torch::Tensor probabilities;
};

/// Token grid of the clip being processed.
struct TokenGeometry {
    int64_t batch = 1;
    int64_t frames = 1;
    int64_t gridHeight = 1;
    int64_t gridWidth = 1;
    int64_t patches() const { return gridHeight * gridWidth; }
};

/// Multi-head self-attention with one fused qkv projection: rows [0, D) of qkv are q, [D, 2D) k,
/// [2D, 3D) v; head a owns rows a*Dh .. a*Dh+Dh-1 of each.
class SelfAttentionImpl : public torch::nn::Module {
public:
    SelfAttentionImpl(int64_t dim, int64_t heads, bool qkvBias);
    /// x (R, S, D) -> (R, S, D). `mask` is an optional additive (S, S) mask; when `capture` is set the
    /// softmax output (R, A, S, S) is stored there.
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& mask = {},
                          torch::Tensor* capture = nullptr);
    /// forward() without the output projection: the heads' outputs concatenated, (R, S, D).
    torch::Tensor mixHeads(const torch::Tensor& x, const torch::Tensor& mask = {},
                           torch::Tensor* capture = nullptr);
    /// forward()'s output for the first token only, (R, 1, D): its query against every key.
    torch::Tensor forwardFirstToken(const torch::Tensor& x);

    torch::nn::Linear qkv{nullptr};
    torch::nn::Linear proj{nullptr};

private:
    int64_t m_heads = 1;
    double m_scale = 1.0;
};
TORCH_MODULE(SelfAttention);

/// fc1 -> exact GELU -> fc2.
class MlpImpl : public torch::nn::Module {
public:
    MlpImpl(int64_t dim, int64_t hidden);
    torch::Tensor forward(const torch::Tensor& x);

    torch::nn::Linear fc1{nullptr};
    torch::nn::Linear fc2{nullptr};
};
TORCH_MODULE(Mlp);

/// One pre-norm block of any attention type; only the sub-modules its type needs are registered, so
/// parameter names equal the research checkpoint's (`attn.qkv.weight`, `temporal_fc.bias`, ...).
class TimeSformerBlockImpl : public torch::nn::Module {
public:
    TimeSformerBlockImpl(const TimeSformerConfig& config, int layer);
    /// x: (B, 1+N*T, D) tokens [cls, (n,t) at 1+n*T+t], or (B*T, 1+N, D) for space-only.
    torch::Tensor forward(const torch::Tensor& x, const TokenGeometry& geometry,
                          std::vector<CapturedAttention>* capture = nullptr);
    /// Whether forwardClassToken() exists for this block's attention type.
    bool hasClassTokenForward() const;
    /// forward()'s cls token alone: (B, 1, D), or (B*T, 1, D) for space-only. What the last block of
    /// a classification needs: no patch token's query, attention output or MLP is computed.
    torch::Tensor forwardClassToken(const torch::Tensor& x, const TokenGeometry& geometry);

private:
    /// Spatial rows (B*T, 1+N, D) of divided attention: the block input's cls token, then frame t's
    /// patches, from xt (B, N, T, D).
    static torch::Tensor spatialRows(const torch::Tensor& cls, const torch::Tensor& xt,
                                     const TokenGeometry& g);
    /// out + mlp(norm2(out)), accumulating into `out` in place at inference.
    torch::Tensor addMlp(torch::Tensor out);
    torch::Tensor forwardDivided(const torch::Tensor& x, const TokenGeometry& g,
                                 std::vector<CapturedAttention>* capture);
    torch::Tensor forwardAxial(const torch::Tensor& x, const TokenGeometry& g,
                               std::vector<CapturedAttention>* capture);
    torch::Tensor forwardLocalGlobal(const torch::Tensor& x, const TokenGeometry& g,
                                     std::vector<CapturedAttention>* capture);
    /// Temporal step shared by divided and axial: patches (B, N*T, D) -> (B*N, T, D) with residual.
    torch::Tensor temporalStep(const torch::Tensor& patches, const TokenGeometry& g,
                               std::vector<CapturedAttention>* capture);
    torch::Tensor* slot(std::vector<CapturedAttention>* capture, const char* kind);
    void refreshFusedTemporal();

    AttentionType m_type = AttentionType::DividedSpaceTime;
    int m_layer = 0;
    torch::nn::LayerNorm norm1{nullptr};
    SelfAttention attn{nullptr};
    torch::nn::LayerNorm temporal_norm1{nullptr};
    SelfAttention temporal_attn{nullptr};
    torch::nn::Linear temporal_fc{nullptr};
    torch::nn::LayerNorm width_norm1{nullptr};
    SelfAttention width_attn{nullptr};
    torch::nn::Linear width_fc{nullptr};
    torch::nn::LayerNorm global_norm1{nullptr};
    SelfAttention global_attn{nullptr};
    torch::nn::LayerNorm norm2{nullptr};
    Mlp mlp{nullptr};

    // Inference only: temporal_fc(temporal_attn.proj(.)) folded into one linear, rebuilt whenever one of
    // the four parameters changes (version counter or storage).
    torch::Tensor m_fusedTemporalWeight;
    torch::Tensor m_fusedTemporalBias;
    std::vector<int64_t> m_fusedVersions;
    std::vector<const void*> m_fusedStorage;
};
TORCH_MODULE(TimeSformerBlock);

/// Patch embedding: Conv2d(3, D, P, stride P) on every frame.
class PatchEmbedImpl : public torch::nn::Module {
public:
    PatchEmbedImpl(int64_t patchSize, int64_t dim);
    torch::nn::Conv2d proj{nullptr};
};
TORCH_MODULE(PatchEmbed);

/// The whole TimeSformer. Input (B, 3, T, H, W) with H, W multiples of the patch size and any T;
/// position and time embeddings are resized (nearest) when the grid or T differ from the config.
class TimeSformerNetImpl : public torch::nn::Module {
public:
    explicit TimeSformerNetImpl(const TimeSformerConfig& config);
    /// Returns logits (B, classes); appends every attention's softmax output to `capture` if given.
    torch::Tensor forward(const torch::Tensor& video, std::vector<CapturedAttention>* capture = nullptr);
    /// The normalised cls features (B, D) before the head. With `patchTokens`, also the normalised
    /// output tokens of every patch, (B, T, N, D) with patch n = row * grid width + column. With
    /// `lastBlockInput`, also the patch tokens as they enter the last block, (B, T, N, D), not normalised.
    torch::Tensor features(const torch::Tensor& video, std::vector<CapturedAttention>* capture = nullptr,
                           torch::Tensor* patchTokens = nullptr, torch::Tensor* lastBlockInput = nullptr);
    const TimeSformerConfig& config() const { return m_config; }

    torch::Tensor cls_token;
    torch::Tensor pos_embed;
    torch::Tensor time_embed;
    PatchEmbed patch_embed{nullptr};
    torch::nn::ModuleList blocks{nullptr};
    torch::nn::LayerNorm norm{nullptr};
    torch::nn::Linear head{nullptr};

private:
    torch::Tensor positionEmbedding(int64_t gridHeight, int64_t gridWidth) const;
    torch::Tensor timeEmbedding(int64_t frames) const;

    TimeSformerConfig m_config;
};
TORCH_MODULE(TimeSformerNet);

} // namespace saccade
