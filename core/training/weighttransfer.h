#pragma once

#include "core/util/result.h"

#include <QString>

namespace saccade {

class TimeSformerModel;

/// Starts a model from another one's weights, the way TimeSformer starts from an image transformer:
/// tensors of the same name and shape are copied; the spatial position embeddings are resized over the
/// patch grid (bicubic) when the grid differs, the temporal ones over the frames (linear); the head keeps
/// the rows of the classes both models have (matched by name), and the other classes keep their fresh
/// initialisation. Used to train the demo model at a larger input from a smaller one.
class WeightTransfer {
public:
    /// Copies what `source` can give `target`. Fails naming `sourcePath` when the two differ in width,
    /// depth or attention type, so that nothing but embeddings would carry over. Returns a one-line
    /// account ("42 tensors copied, 2 resized, 10 of 11 head rows").
    static Result<QString> apply(TimeSformerModel& target, TimeSformerModel& source,
                                 const QString& sourcePath);
};

} // namespace saccade
