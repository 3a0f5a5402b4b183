#include "core/model/timesformernet.h"

#include "core/model/shortsequenceattention.h"

#include <cmath>

namespace saccade {

namespace {

torch::nn::LayerNorm makeNorm(int64_t dim, double eps) {
    return torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim}).eps(eps));
}

// Additive masks of the sparse local-global design over joint tokens [cls, (n,t) at 1+n*T+t]. The cls
// token sees and is seen by everything. Local: a patch attends to the patches of its spatial quarter
// (ceil(Hp/2) x ceil(Wp/2) patches) in every frame. Global: a patch attends to the patches with the
// same parity of frame, row and column, i.e. the clip sampled with stride 2 along t, h and w.
torch::Tensor localGlobalMask(const TokenGeometry& g, bool local, const torch::TensorOptions& options) {
    const int64_t tokens = 1 + g.patches() * g.frames;
    const int64_t windowHeight = (g.gridHeight + 1) / 2;
    const int64_t windowWidth = (g.gridWidth + 1) / 2;
    std::vector<int64_t> group(static_cast<size_t>(tokens), -1);
    for (int64_t n = 0; n < g.patches(); ++n) {
        const int64_t h = n / g.gridWidth;
        const int64_t w = n % g.gridWidth;
        for (int64_t t = 0; t < g.frames; ++t) {
            const int64_t id =
                local ? (h / windowHeight) * 2 + w / windowWidth : (t % 2) * 4 + (h % 2) * 2 + (w % 2);
            group[static_cast<size_t>(1 + n * g.frames + t)] = id;
        }
    }
    const torch::Tensor ids = torch::tensor(group, torch::kLong);
    const torch::Tensor same = ids.unsqueeze(1).eq(ids.unsqueeze(0));
    const torch::Tensor isCls = ids.eq(-1);
    const torch::Tensor allowed = same.logical_or(isCls.unsqueeze(1)).logical_or(isCls.unsqueeze(0));
    return torch::zeros({tokens, tokens}, options)
        .masked_fill_(allowed.logical_not().to(options.device()), -std::numeric_limits<float>::infinity());
}

// a @ b over the leading (batch) dimensions. LibTorch multiplies a batch of matrices one at a time
// on one thread; the temporal attention's batch is thousands of 8 x 8 products, so when its maps are
// captured (otherwise ShortSequenceAttention takes it) the batch is split between the threads instead.
torch::Tensor batchMatmul(const torch::Tensor& a, const torch::Tensor& b) {
    const int threads = at::get_num_threads();
    const int64_t rows = a.size(-2);
    const int64_t columns = b.size(-1);
    const int64_t batch = a.numel() / (rows * a.size(-1));
    constexpr int64_t kLargestSmallProduct = 64 * 64;
    if (threads < 2 || a.requires_grad() || b.requires_grad() || rows * columns > kLargestSmallProduct ||
        batch < 16 * threads)
        return torch::matmul(a, b);
    std::vector<int64_t> shape = a.sizes().vec();
    shape.back() = columns;
    const torch::Tensor left = a.reshape({batch, rows, a.size(-1)});
    const torch::Tensor right = b.reshape({batch, b.size(-2), columns});
    torch::Tensor out = torch::empty({batch, rows, columns}, a.options());
    at::parallel_for(0, batch, (batch + threads - 1) / threads, [&](int64_t begin, int64_t end) {
        torch::Tensor slice = out.narrow(0, begin, end - begin);
        at::bmm_out(slice, left.narrow(0, begin, end - begin), right.narrow(0, begin, end - begin));
    });
    return out.view(shape);
}

} // namespace

SelfAttentionImpl::SelfAttentionImpl(int64_t dim, int64_t heads, bool qkvBias)
    : m_heads(heads), m_scale(1.0 / std::sqrt(static_cast<double>(dim / heads))) {
    qkv = register_module("qkv", torch::nn::Linear(torch::nn::LinearOptions(dim, 3 * dim).bias(qkvBias)));
    proj = register_module("proj", torch::nn::Linear(dim, dim));
}

torch::Tensor SelfAttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& mask,
                                         torch::Tensor* capture) {
    return proj(mixHeads(x, mask, capture));
}

torch::Tensor SelfAttentionImpl::mixHeads(const torch::Tensor& x, const torch::Tensor& mask,
                                          torch::Tensor* capture) {
    const int64_t rows = x.size(0);
    const int64_t length = x.size(1);
    const int64_t dim = x.size(2);
    // One matmul for q, k and v; the head split is a view, not a copy. Short sequences whose maps
    // nobody reads take the one-pass kernel.
    const torch::Tensor projected = qkv(x);
    if (!capture && !mask.defined() && ShortSequenceAttention::applies(projected, m_heads))
        return ShortSequenceAttention::attend(projected, m_heads, m_scale);
    const torch::Tensor parts =
        projected.view({rows, length, 3, m_heads, dim / m_heads}).permute({2, 0, 3, 1, 4});
    // matmul would copy the strided q into a dense batch anyway; scaling it is that same pass, and
    // spares one over the larger score matrix.
    const torch::Tensor q = parts[0] * m_scale;
    const torch::Tensor k = parts[1];
    const torch::Tensor v = parts[2];
    torch::Tensor scores = batchMatmul(q, k.transpose(-2, -1));
    if (mask.defined())
        scores.add_(mask);
    torch::Tensor probabilities;
    if (scores.requires_grad())
        probabilities = scores.softmax(-1);
    else
        probabilities = torch::_softmax_out(scores, scores, -1, false); // in place: no new buffer
    if (capture)
        *capture = probabilities;
    return batchMatmul(probabilities, v).transpose(1, 2).reshape({rows, length, dim});
}

torch::Tensor SelfAttentionImpl::forwardFirstToken(const torch::Tensor& x) {
    const int64_t rows = x.size(0);
    const int64_t length = x.size(1);
    const int64_t dim = x.size(2);
    const int64_t headDim = dim / m_heads;
    const torch::Tensor& weight = qkv->weight;
    const torch::Tensor& bias = qkv->bias;
    const auto rowsOf = [&](const torch::Tensor& t, int64_t first, int64_t count) {
        return t.defined() ? t.narrow(0, first, count) : torch::Tensor();
    };
    const torch::Tensor q =
        (torch::linear(x.narrow(1, 0, 1), rowsOf(weight, 0, dim), rowsOf(bias, 0, dim)) * m_scale)
            .view({rows, 1, m_heads, headDim})
            .transpose(1, 2);
    const torch::Tensor kv = torch::linear(x, rowsOf(weight, dim, 2 * dim), rowsOf(bias, dim, 2 * dim))
                                 .view({rows, length, 2, m_heads, headDim})
                                 .permute({2, 0, 3, 1, 4});
    const torch::Tensor probabilities = torch::matmul(q, kv[0].transpose(-2, -1)).softmax(-1);
    return proj(torch::matmul(probabilities, kv[1]).transpose(1, 2).reshape({rows, 1, dim}));
}

MlpImpl::MlpImpl(int64_t dim, int64_t hidden) {
    fc1 = register_module("fc1", torch::nn::Linear(dim, hidden));
    fc2 = register_module("fc2", torch::nn::Linear(hidden, dim));
}

torch::Tensor MlpImpl::forward(const torch::Tensor& x) {
    torch::Tensor hidden = fc1(x);
    // In place when no gradient is needed: saves one pass over the largest activation.
    hidden = hidden.requires_grad() ? torch::gelu(hidden) : torch::gelu_(hidden);
    return fc2(hidden);
}

PatchEmbedImpl::PatchEmbedImpl(int64_t patchSize, int64_t dim) {
    proj = register_module("proj",
                           torch::nn::Conv2d(torch::nn::Conv2dOptions(3, dim, patchSize).stride(patchSize)));
}

TimeSformerBlockImpl::TimeSformerBlockImpl(const TimeSformerConfig& config, int layer)
    : m_type(config.attentionType), m_layer(layer) {
    const int64_t d = config.hiddenSize;
    const double eps = config.layerNormEps;
    norm1 = register_module("norm1", makeNorm(d, eps));
    attn = register_module("attn", SelfAttention(d, config.numHeads, config.qkvBias));
    if (m_type == AttentionType::DividedSpaceTime || m_type == AttentionType::Axial) {
        temporal_norm1 = register_module("temporal_norm1", makeNorm(d, eps));
        temporal_attn = register_module("temporal_attn", SelfAttention(d, config.numHeads, config.qkvBias));
        temporal_fc = register_module("temporal_fc", torch::nn::Linear(d, d));
    }
    if (m_type == AttentionType::Axial) {
        width_norm1 = register_module("width_norm1", makeNorm(d, eps));
        width_attn = register_module("width_attn", SelfAttention(d, config.numHeads, config.qkvBias));
        width_fc = register_module("width_fc", torch::nn::Linear(d, d));
    }
    if (m_type == AttentionType::LocalGlobal) {
        global_norm1 = register_module("global_norm1", makeNorm(d, eps));
        global_attn = register_module("global_attn", SelfAttention(d, config.numHeads, config.qkvBias));
    }
    norm2 = register_module("norm2", makeNorm(d, eps));
    mlp = register_module("mlp", Mlp(d, config.mlpHiddenSize()));
}

torch::Tensor* TimeSformerBlockImpl::slot(std::vector<CapturedAttention>* capture, const char* kind) {
    if (!capture)
        return nullptr;
    capture->push_back({kind, m_layer, {}});
    return &capture->back().probabilities;
}

torch::Tensor TimeSformerBlockImpl::forward(const torch::Tensor& x, const TokenGeometry& geometry,
                                            std::vector<CapturedAttention>* capture) {
    torch::Tensor out;
    switch (m_type) {
    case AttentionType::DividedSpaceTime:
        out = forwardDivided(x, geometry, capture);
        break;
    case AttentionType::Axial:
        out = forwardAxial(x, geometry, capture);
        break;
    case AttentionType::LocalGlobal:
        out = forwardLocalGlobal(x, geometry, capture);
        break;
    case AttentionType::JointSpaceTime:
    case AttentionType::SpaceOnly:
        out = x + attn->forward(norm1(x), torch::Tensor(),
                                slot(capture, m_type == AttentionType::SpaceOnly ? "space" : "joint"));
        break;
    }
    return addMlp(out);
}

torch::Tensor TimeSformerBlockImpl::addMlp(torch::Tensor out) {
    if (out.requires_grad() || (mlp->fc2->weight.requires_grad() && torch::GradMode::is_enabled()))
        return out + mlp(norm2(out));
    // Inference: fc2 accumulates straight into the residual stream (one pass less over it).
    torch::Tensor hidden = mlp->fc1(norm2(out));
    torch::gelu_(hidden);
    const int64_t d = out.size(-1);
    out.view({-1, d}).addmm_(hidden.view({-1, hidden.size(-1)}), mlp->fc2->weight.t()).add_(mlp->fc2->bias);
    return out;
}

bool TimeSformerBlockImpl::hasClassTokenForward() const {
    return m_type == AttentionType::DividedSpaceTime || m_type == AttentionType::JointSpaceTime ||
           m_type == AttentionType::SpaceOnly;
}

torch::Tensor TimeSformerBlockImpl::forwardClassToken(const torch::Tensor& x, const TokenGeometry& g) {
    TORCH_CHECK(hasClassTokenForward(), "no class-token forward for this attention type");
    const torch::Tensor cls = x.narrow(1, 0, 1);
    torch::Tensor out;
    if (m_type == AttentionType::DividedSpaceTime) {
        // Every patch still passes the temporal step: the spatial keys and values need it.
        const int64_t d = x.size(2);
        const torch::Tensor xt = temporalStep(x.narrow(1, 1, g.patches() * g.frames), g, nullptr)
                                     .view({g.batch, g.patches(), g.frames, d});
        const torch::Tensor frameUpdates = attn->forwardFirstToken(norm1(spatialRows(cls, xt, g)));
        out = cls + frameUpdates.view({g.batch, g.frames, d}).mean(1, true);
    } else {
        out = cls + attn->forwardFirstToken(norm1(x));
    }
    return addMlp(out);
}

torch::Tensor TimeSformerBlockImpl::spatialRows(const torch::Tensor& cls, const torch::Tensor& xt,
                                                const TokenGeometry& g) {
    const int64_t d = xt.size(3);
    return torch::cat({cls.unsqueeze(1).expand({g.batch, g.frames, 1, d}), xt.permute({0, 2, 1, 3})}, 2)
        .view({g.batch * g.frames, 1 + g.patches(), d});
}

void TimeSformerBlockImpl::refreshFusedTemporal() {
    const std::vector<torch::Tensor> parts = {temporal_attn->proj->weight, temporal_attn->proj->bias,
                                              temporal_fc->weight, temporal_fc->bias};
    std::vector<int64_t> versions;
    std::vector<const void*> storage;
    for (const torch::Tensor& part : parts) {
        versions.push_back(static_cast<int64_t>(part._version()));
        storage.push_back(part.data_ptr());
    }
    if (m_fusedTemporalWeight.defined() && versions == m_fusedVersions && storage == m_fusedStorage)
        return;
    // fc(proj(r)) = r (Wfc Wproj)^T + (Wfc bproj + bfc): one D x D matmul per token instead of two.
    m_fusedTemporalWeight = torch::matmul(parts[2], parts[0]);
    m_fusedTemporalBias = torch::addmv(parts[3], parts[2], parts[1]);
    m_fusedVersions = versions;
    m_fusedStorage = storage;
}

torch::Tensor TimeSformerBlockImpl::temporalStep(const torch::Tensor& patches, const TokenGeometry& g,
                                                 std::vector<CapturedAttention>* capture) {
    const int64_t d = patches.size(2);
    const torch::Tensor rows = patches.reshape({g.batch * g.patches(), g.frames, d});
    const bool training = torch::GradMode::is_enabled() && temporal_fc->weight.requires_grad();
    if (training || rows.requires_grad())
        return rows + temporal_fc(temporal_attn->forward(temporal_norm1(rows), torch::Tensor(),
                                                         slot(capture, "time")));
    refreshFusedTemporal();
    const torch::Tensor mixed =
        temporal_attn->mixHeads(temporal_norm1(rows), torch::Tensor(), slot(capture, "time"));
    return torch::linear(mixed, m_fusedTemporalWeight, m_fusedTemporalBias).add_(rows);
}

torch::Tensor TimeSformerBlockImpl::forwardDivided(const torch::Tensor& x, const TokenGeometry& g,
                                                   std::vector<CapturedAttention>* capture) {
    const int64_t b = g.batch;
    const int64_t t = g.frames;
    const int64_t n = g.patches();
    const int64_t d = x.size(2);
    const torch::Tensor cls = x.narrow(1, 0, 1);
    const torch::Tensor xt = temporalStep(x.narrow(1, 1, n * t), g, capture).view({b, n, t, d});

    const torch::Tensor spatial =
        attn->forward(norm1(spatialRows(cls, xt, g)), torch::Tensor(), slot(capture, "space"));
    const torch::Tensor clsUpdate = spatial.select(1, 0).view({b, t, d}).mean(1, true);
    const torch::Tensor patchUpdate = spatial.narrow(1, 1, n).view({b, t, n, d}).permute({0, 2, 1, 3});
    return torch::cat({cls + clsUpdate, (xt + patchUpdate).view({b, n * t, d})}, 1);
}

torch::Tensor TimeSformerBlockImpl::forwardAxial(const torch::Tensor& x, const TokenGeometry& g,
                                                 std::vector<CapturedAttention>* capture) {
    // T+W+H: temporal attention (cls excluded, as in divided), then attention along each grid row
    // (cls excluded), then along each grid column with the cls token prepended to every column and its
    // outputs averaged, as divided attention does over frames. Each step has its own norm, attention and,
    // for T and W, an output linear.
    const int64_t b = g.batch;
    const int64_t t = g.frames;
    const int64_t gh = g.gridHeight;
    const int64_t gw = g.gridWidth;
    const int64_t n = g.patches();
    const int64_t d = x.size(2);
    const torch::Tensor cls = x.narrow(1, 0, 1);
    const torch::Tensor xt = temporalStep(x.narrow(1, 1, n * t), g, capture).view({b, gh, gw, t, d});

    const torch::Tensor widthRows = xt.permute({0, 3, 1, 2, 4}).reshape({b * t * gh, gw, d});
    const torch::Tensor xw = widthRows + width_fc(width_attn->forward(width_norm1(widthRows), torch::Tensor(),
                                                                      slot(capture, "width")));

    const torch::Tensor columns =
        xw.view({b, t, gh, gw, d}).permute({0, 1, 3, 2, 4}).reshape({b * t * gw, gh, d});
    const torch::Tensor columnCls = cls.unsqueeze(1).expand({b, t * gw, 1, d}).reshape({b * t * gw, 1, d});
    const torch::Tensor heightRows = torch::cat({columnCls, columns}, 1);
    const torch::Tensor height = attn->forward(norm1(heightRows), torch::Tensor(), slot(capture, "height"));
    const torch::Tensor clsUpdate = height.select(1, 0).view({b, t * gw, d}).mean(1, true);
    const torch::Tensor patches = (columns + height.narrow(1, 1, gh))
                                      .view({b, t, gw, gh, d})
                                      .permute({0, 3, 2, 1, 4})
                                      .reshape({b, n * t, d});
    return torch::cat({cls + clsUpdate, patches}, 1);
}

torch::Tensor TimeSformerBlockImpl::forwardLocalGlobal(const torch::Tensor& x, const TokenGeometry& g,
                                                       std::vector<CapturedAttention>* capture) {
    const torch::TensorOptions options = x.options().requires_grad(false);
    const torch::Tensor local =
        x + attn->forward(norm1(x), localGlobalMask(g, true, options), slot(capture, "local"));
    return local + global_attn->forward(global_norm1(local), localGlobalMask(g, false, options),
                                        slot(capture, "global"));
}

TimeSformerNetImpl::TimeSformerNetImpl(const TimeSformerConfig& config) : m_config(config) {
    const int64_t d = config.hiddenSize;
    cls_token = register_parameter("cls_token", torch::zeros({1, 1, d}));
    pos_embed = register_parameter("pos_embed", torch::zeros({1, 1 + config.patchesPerFrame(), d}));
    if (config.attentionType != AttentionType::SpaceOnly)
        time_embed = register_parameter("time_embed", torch::zeros({1, config.numFrames, d}));
    patch_embed = register_module("patch_embed", PatchEmbed(config.patchSize, d));
    blocks = register_module("blocks", torch::nn::ModuleList());
    for (int i = 0; i < config.depth; ++i)
        blocks->push_back(TimeSformerBlock(config, i));
    norm = register_module("norm", makeNorm(d, config.layerNormEps));
    head = register_module("head", torch::nn::Linear(d, config.numClasses));
    // The research initialisation: truncated normal (std 0.02) for embeddings and linears.
    torch::NoGradGuard noGrad;
    for (auto& parameter : named_parameters()) {
        const std::string& name = parameter.key();
        torch::Tensor& value = parameter.value();
        if (name.size() > 5 && name.compare(name.size() - 5, 5, ".bias") == 0)
            value.zero_();
        else if (name.find("norm") != std::string::npos)
            value.fill_(1.0);
        else
            value.normal_(0.0, 0.02).clamp_(-0.04, 0.04);
    }
    // Zero temporal_fc keeps a fresh divided model equal to its image model, as the paper initialises it.
    for (auto& parameter : named_parameters()) {
        if (parameter.key().find("temporal_fc") != std::string::npos)
            parameter.value().zero_();
    }
}

torch::Tensor TimeSformerNetImpl::positionEmbedding(int64_t gridHeight, int64_t gridWidth) const {
    const int64_t grid = m_config.gridSize();
    if (gridHeight == grid && gridWidth == grid)
        return pos_embed;
    const int64_t d = pos_embed.size(2);
    const torch::Tensor patchPart =
        pos_embed.narrow(1, 1, grid * grid).transpose(1, 2).reshape({1, d, grid, grid});
    const torch::Tensor resized =
        torch::nn::functional::interpolate(patchPart, torch::nn::functional::InterpolateFuncOptions()
                                                          .size(std::vector<int64_t>{gridHeight, gridWidth})
                                                          .mode(torch::kNearest));
    return torch::cat({pos_embed.narrow(1, 0, 1), resized.flatten(2).transpose(1, 2)}, 1);
}

torch::Tensor TimeSformerNetImpl::timeEmbedding(int64_t frames) const {
    if (frames == time_embed.size(1))
        return time_embed;
    const torch::Tensor resized = torch::nn::functional::interpolate(
        time_embed.transpose(1, 2), torch::nn::functional::InterpolateFuncOptions()
                                        .size(std::vector<int64_t>{frames})
                                        .mode(torch::kNearest));
    return resized.transpose(1, 2);
}

torch::Tensor TimeSformerNetImpl::features(const torch::Tensor& video,
                                           std::vector<CapturedAttention>* capture,
                                           torch::Tensor* patchTokens, torch::Tensor* lastBlockInput) {
    TokenGeometry g;
    g.batch = video.size(0);
    g.frames = video.size(2);
    const int64_t d = m_config.hiddenSize;
    // Frames become rows b*T + t.
    const torch::Tensor frames =
        video.transpose(1, 2).reshape({g.batch * g.frames, video.size(1), video.size(3), video.size(4)});
    const torch::Tensor embedded = patch_embed->proj(frames);
    g.gridHeight = embedded.size(2);
    g.gridWidth = embedded.size(3);
    const int64_t n = g.patches();
    const torch::Tensor position = positionEmbedding(g.gridHeight, g.gridWidth);
    const torch::Tensor patches =
        embedded.flatten(2).transpose(1, 2) + position.narrow(1, 1, n); // (B*T, N, D)
    const torch::Tensor cls = cls_token + position.narrow(1, 0, 1);

    torch::Tensor x;
    if (m_config.attentionType == AttentionType::SpaceOnly) {
        x = torch::cat({cls.expand({g.batch * g.frames, 1, d}), patches}, 1);
    } else {
        // Space-major, time-minor: token 1 + n*T + t.
        const torch::Tensor timed =
            patches.view({g.batch, g.frames, n, d}).transpose(1, 2) + timeEmbedding(g.frames);
        x = torch::cat({cls.expand({g.batch, 1, d}), timed.reshape({g.batch, n * g.frames, d})}, 1);
    }
    const bool spaceOnly = m_config.attentionType == AttentionType::SpaceOnly;
    const size_t blockCount = blocks->size();
    // The head reads only the cls token, so unless the patch tokens or the attention are wanted, the
    // last block computes the cls token alone (same numbers, a block's MLP and most of its attention
    // saved).
    bool clsOnly = false;
    const auto patchTokensOf = [&](const torch::Tensor& sequence) {
        return spaceOnly
                   ? sequence.view({g.batch, g.frames, 1 + n, d}).narrow(2, 1, n)
                   : sequence.narrow(1, 1, n * g.frames).view({g.batch, n, g.frames, d}).transpose(1, 2);
    };
    for (size_t i = 0; i < blockCount; ++i) {
        const auto block = blocks->ptr<TimeSformerBlockImpl>(i);
        if (i + 1 == blockCount && lastBlockInput)
            *lastBlockInput = patchTokensOf(x);
        if (i + 1 == blockCount && !capture && !patchTokens && block->hasClassTokenForward()) {
            x = block->forwardClassToken(x, g);
            clsOnly = true;
        } else {
            x = block->forward(x, g, capture);
        }
    }
    if (patchTokens)
        *patchTokens = norm(patchTokensOf(x));
    torch::Tensor clsFeatures;
    if (spaceOnly)
        clsFeatures = x.view({g.batch, g.frames, clsOnly ? 1 : 1 + n, d})
                          .select(2, 0)
                          .mean(1); // LayerNorm is per token
    else
        clsFeatures = x.select(1, 0);
    return norm(clsFeatures);
}

torch::Tensor TimeSformerNetImpl::forward(const torch::Tensor& video,
                                          std::vector<CapturedAttention>* capture) {
    return head(features(video, capture));
}

} // namespace saccade
