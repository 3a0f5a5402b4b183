#pragma once

#include "core/util/cancellationtoken.h"
#include "core/util/npy.h"
#include "core/util/result.h"

#include <QMetaType>
#include <QString>

#include <functional>
#include <vector>

namespace saccade {

class TimeSformerModel;

struct FaithfulnessOptions {
    /// Share of the window's patches (all sampled frames together) that is masked, in (0, 1].
    double maskFraction = 0.1;
    /// Random masks of the same size whose drops are averaged for the baseline.
    int randomDraws = 5;
    quint64 seed = 1;
};

/// Scores are softmax probabilities of `classIndex` (the top class of the unmasked clip).
struct FaithfulnessResult {
    int classIndex = -1;
    int maskedPatches = 0;
    int totalPatches = 0;
    double baseScore = 0.0;
    /// With the most-attended patches masked.
    double attendedScore = 0.0;
    /// One per random mask.
    std::vector<double> randomScores;

    double attendedDrop() const { return baseScore - attendedScore; }
    /// Mean drop over the random masks.
    double randomDrop() const;
    /// Standard deviation of the random masks' drops (0 with fewer than two).
    double randomDropSpread() const;
};

/// The faithfulness check of an attention map: mask the patches it rates highest and see how much
/// the model's score for its top class drops, next to the drop for random masks of the same number
/// of patches. A patch is (t, row, column) of the clip's T x Hp x Wp grid; masking sets its pixels
/// to 0 in every channel, which is the normalisation mean. Pure functions, any thread.
class FaithfulnessCheck {
public:
    /// Probabilities of every class for a clip (1, 3, T, S, S).
    using ScoreFunction = std::function<Result<std::vector<float>>(const FloatArray& clip)>;
    /// Fraction done in [0, 1].
    using ProgressFunction = std::function<void(double fraction)>;

    /// round(fraction * total), at least 1 and at most total.
    static int maskedPatchCount(double fraction, int total);
    /// Flat indices (t * Hp * Wp + row * Wp + column) of the `count` largest entries of `map`
    /// (T, Hp, Wp), largest first; among equal values the lower index first.
    static std::vector<int> mostAttendedPatches(const FloatArray& map, int count);
    /// `count` distinct flat indices below `total`, drawn uniformly from `seed` (same seed, same set).
    static std::vector<int> randomPatches(int total, int count, quint64 seed);
    /// Sets the pixels of `patches` of `clip` (1, 3, T, S, S) to 0; S must be a multiple of
    /// `patchSize` and the indices below T * (S / patchSize)^2.
    static Status maskPatches(FloatArray& clip, const std::vector<int>& patches, int patchSize);

    /// Runs the check on `clip` (1, 3, T, S, S) with the attention `map` (T, Hp, Wp) of the same
    /// clip (Hp = S / patchSize): the unmasked clip, the most-attended mask, then `randomDraws`
    /// random masks (seeds seed, seed + 1, ...). Cancellation is checked between forward passes.
    static Result<FaithfulnessResult> run(const FloatArray& clip, const FloatArray& map, int patchSize,
                                          const ScoreFunction& score, const FaithfulnessOptions& options,
                                          const CancellationToken& cancel = {},
                                          const ProgressFunction& progress = {});
    /// The score function of a model: softmax of its logits.
    static ScoreFunction modelScore(TimeSformerModel& model);
};

} // namespace saccade

Q_DECLARE_METATYPE(saccade::FaithfulnessResult)
