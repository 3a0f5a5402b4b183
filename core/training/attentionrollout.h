#pragma once

#include "core/model/timesformermodel.h"
#include "core/util/npy.h"
#include "core/util/result.h"

#include <QRectF>
#include <QSizeF>

#include <vector>

namespace saccade {

enum class HeadFusion { Mean = 1, Max, Min };

struct RolloutOptions {
    HeadFusion fusion = HeadFusion::Mean;
    /// Share of the weakest attention weights of every row dropped before adding the identity.
    double discardRatio = 0.0;
};

/// Attention rollout (Abnar & Zuidema) of the cls token for one clip of a batch, from the maps a
/// TimeSformerModel captured. Per layer the heads are fused, the identity added and rows renormalised;
/// divided attention combines the spatial map S_t and the temporal map T_k as
/// W[(p,t) -> (k,q)] = S_t[p -> k] * T_k[t -> q] (the cls token averages its per-frame copies), joint
/// attention uses its one map. Only the cls row is propagated, so the cost is linear in the layers.
/// Pure functions, any thread.
class AttentionRollout {
public:
    /// Returns (T, Hp, Wp), summing to at most 1 (the rest stays on the cls token).
    static Result<FloatArray> compute(const std::vector<AttentionMap>& maps, int batchItem, int frames,
                                      int gridHeight, int gridWidth, const RolloutOptions& options = {});

    /// Share of frame `frame`'s map that falls inside `box` (pixels of a `frameSize` frame, patches
    /// weighted by their overlap with the box) divided by the box's share of the frame: 1 means no
    /// preference for the box, higher means the map concentrates on it. Negative when the box or the
    /// map is empty.
    static double massRatioInBox(const FloatArray& rollout, int frame, const QRectF& box,
                                 const QSizeF& frameSize);
};

} // namespace saccade
