#pragma once

#include "core/model/timesformermodel.h"
#include "core/util/npy.h"
#include "core/util/result.h"

#include <QRectF>
#include <QSizeF>

#include <vector>

namespace saccade {

/// How the heads of one attention layer are combined into one map.
enum class HeadFusion { Mean = 1, Max, Min };

/// One head, or all heads fused.
struct HeadSelection {
    /// Head index, or -1 to fuse all heads with `fusion`.
    int head = -1;
    HeadFusion fusion = HeadFusion::Mean;
};

struct RolloutOptions {
    HeadFusion fusion = HeadFusion::Mean;
    /// Share of each row's entries (the lowest ones) set to zero before the identity is added.
    double discardRatio = 0.0;
};

/// Attention summaries of one clip from the maps a TimeSformerModel captured (see TIMESFORMER.md).
/// Maps are batched: `view` selects the clip (the spatial crop) inside the batch. Token order of the
/// captured maps is [cls, (n=0,t=0), (n=0,t=1), ...], token 1 + n*T + t. Pure functions, any thread.
class AttentionAnalysis {
public:
    /// Fuses `heads` contiguous `count`-element maps into one by mean, max or min.
    static std::vector<double> fuseHeads(const float* maps, int heads, int64_t count, HeadFusion fusion);
    /// Sets the floor(ratio * columns) smallest entries of every row of a rows x columns matrix to zero
    /// (among equal values the earlier columns go first).
    static void discardLowest(std::vector<double>& matrix, int64_t rows, int64_t columns, double ratio);
    /// One rollout factor: heads fused, lowest entries discarded, identity added, rows renormalised to 1.
    static std::vector<double> rolloutFactor(const float* maps, int heads, int64_t size,
                                             const RolloutOptions& options);

    /// Where each head's cls token looks in each frame: (L, A, T, Hp, Wp). Uses the spatial maps of
    /// divided and space-only models, the cls row of joint ones.
    static Result<FloatArray> spatialClsMaps(const std::vector<AttentionMap>& maps, int view, int frames,
                                             int gridHeight, int gridWidth);
    /// Temporal attention of every patch: (L, A, N, T, T); empty (no shape) for models without it.
    static Result<FloatArray> temporalMaps(const std::vector<AttentionMap>& maps, int view, int frames,
                                           int patches);
    /// The full spatial matrices of every layer and frame: (L, T, A, 1+N, 1+N).
    static Result<FloatArray> fullSpatialMaps(const std::vector<AttentionMap>& maps, int view, int frames);
    /// Attention rollout of the cls token: (T, Hp, Wp). Divided layers combine the spatial map S_t and
    /// the temporal map T_k as W[(p,t) -> (k,q)] = S_t[p -> k] * T_k[t -> q] (the cls token is the mean
    /// of its per-frame copies and keeps itself in time); space-only layers use an identity in time;
    /// joint layers use their one map. Factors are multiplied across layers and the cls row is read.
    static Result<FloatArray> rollout(const std::vector<AttentionMap>& maps, int view, int frames,
                                      int gridHeight, int gridWidth, const RolloutOptions& options = {});

    /// The (Hp, Wp) map of `frame` from spatial cls maps (L, A, T, Hp, Wp) for `layer` and `heads`.
    static Result<std::vector<float>> selectSpatial(const FloatArray& spatial, int layer,
                                                    const HeadSelection& heads, int frame);
    /// The (Hp, Wp) map of `frame` from a rollout (T, Hp, Wp).
    static Result<std::vector<float>> selectRollout(const FloatArray& rollout, int frame);

    /// What patch `patch` of `frame` looks at in its own frame, from full spatial maps
    /// (L, T, A, 1+N, 1+N): its row over the N patches (the cls column left out), for `layer` and `heads`.
    static Result<std::vector<float>> selectPatchRow(const FloatArray& fullSpatial, int layer,
                                                     const HeadSelection& heads, int frame, int patch);
    /// The (T, T) temporal map of `patch` from temporal maps (L, A, N, T, T) for `layer` and `heads`:
    /// row = query frame, column = the frame it attends to.
    static Result<std::vector<float>> selectTemporal(const FloatArray& temporal, int layer,
                                                     const HeadSelection& heads, int patch);
    /// The rollout of a window from what the GUI keeps of it: full spatial maps (L, T, A, 1+N, 1+N) and
    /// temporal maps (L, A, N, T, T) (empty for space-only models); same result as rollout() on the
    /// captured maps of that view.
    static Result<FloatArray> rolloutFromSummaries(const FloatArray& fullSpatial, const FloatArray& temporal,
                                                   int gridHeight, int gridWidth,
                                                   const RolloutOptions& options = {});
    /// Shannon entropy in bits of `map` taken as a distribution (normalised to sum 1, negative and
    /// non-finite entries as 0); 0 for a map without mass.
    static double entropyBits(const std::vector<float>& map);

    /// Share of frame `frame`'s mass of a (T, Hp, Wp) map that falls inside `box` (pixels of a
    /// `frameSize` frame, patches weighted by their overlap with the box) divided by the box's share of
    /// the frame: 1 means no preference for the box, higher means the map concentrates on it. Negative
    /// when the box, the frame or the map is empty.
    static double massRatioInBox(const FloatArray& map, int frame, const QRectF& box,
                                 const QSizeF& frameSize);
};

} // namespace saccade
