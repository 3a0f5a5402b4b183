#pragma once

#include "core/training/syntheticclipgenerator.h"
#include "core/util/npy.h"

#include <array>
#include <cstdint>
#include <vector>

namespace saccade {

/// Photometric augmentation applied to a whole clip before normalisation.
struct ClipAugmentation {
    /// Added to every channel value in [0, 1] space: uniform in [-brightness, brightness].
    double brightness = 0.0;
    /// Multiplies the deviation from mid-grey: uniform in [1 - contrast, 1 + contrast].
    double contrast = 0.0;
};

/// Turns synthetic clips into the model's input: (B, 3, T, H, W) float32, scaled to [0, 1] and
/// normalised with `mean`/`std`. Any thread.
class SyntheticBatch {
public:
    /// Clip seeds of one batch: a pure function of the data seed and the batch index, so training
    /// can resume at any step and sees the same data.
    static std::vector<uint64_t> clipSeeds(uint64_t dataSeed, int64_t batchIndex, int batchSize);

    /// `augmentationSeed` fixes the augmentation draws (ignored when `augmentation` is all zero).
    static FloatArray toInput(const std::vector<SyntheticClip>& clips, const std::array<float, 3>& mean,
                              const std::array<float, 3>& std, const ClipAugmentation& augmentation = {},
                              uint64_t augmentationSeed = 0);

    /// Which patches show the actor: (B, T, N) of 0 and 1, patch n = row * columns + column of a grid
    /// of `patchSize` pixel squares; 1 where the actor's box covers at least `minCover` of the patch or
    /// the patch holds the box's centre. Dense targets that tell the model where the actor is.
    static FloatArray actorPatchMask(const std::vector<SyntheticClip>& clips, int patchSize,
                                     double minCover = 0.25);

    /// The actor's heading in every frame: (B, T, 2) of (x, y) unit vectors in pixel axes, zero while
    /// the actor is invisible. Dense targets that tell the model which way the actor points, so that
    /// comparing frames can tell a clockwise turn from a counter-clockwise one.
    static FloatArray actorHeadings(const std::vector<SyntheticClip>& clips);
};

} // namespace saccade
