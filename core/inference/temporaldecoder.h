#pragma once

#include "core/inference/framescores.h"

#include <QStringList>

#include <vector>

namespace saccade {

/// How per-frame scores become segments.
struct TemporalDecoderOptions {
    /// The model's background class, -1 when it has none (see backgroundClassIndex()).
    int backgroundClass = -1;
    /// Without a background class: frames whose best class probability (the actionness) stays below
    /// this are background. With one it is ignored: the model says itself when nothing happens.
    double actionnessThreshold = 0.5;
    /// Cost of changing class between two frames, in log-probability units: a change must be worth this
    /// much evidence, so one uncertain window cannot split a segment. 0 gives the per-frame argmax.
    double switchPenalty = 6.0;
    /// Segments (and background gaps between segments) shorter than this are absorbed by a neighbour.
    qint64 minDurationFrames = 1;
};

/// A proposed segment: half-open [startFrame, endFrame), its class, and its confidence: the mean
/// probability of the class over the segment's frames.
struct SegmentProposal {
    int classIndex = -1;
    qint64 startFrame = 0;
    qint64 endFrame = 0;
    double confidence = 0.0;
};

/// Decodes per-frame class distributions into action segments with a Viterbi pass over a fully
/// connected chain of the classes (plus a background state), where staying costs nothing and switching
/// costs `switchPenalty`: the most probable labelling that changes class rarely. The boundaries it picks
/// are frame-exact: with the penalty paid once per change wherever it falls, each change sits where the
/// two classes' per-frame evidence crosses. Runs shorter than the minimum duration are then merged into
/// the neighbour whose class scores better over them. Pure functions, any thread.
class TemporalDecoder {
public:
    /// The index of a label named "background" (any case), or -1.
    static int backgroundClassIndex(const QStringList& labels);

    /// Per-frame state, -1 for background (uncovered frames are background).
    static std::vector<int> decodeFrames(const FrameScores& scores, const TemporalDecoderOptions& options);
    /// The non-background runs of decodeFrames() as segments, in time order.
    static std::vector<SegmentProposal> decode(const FrameScores& scores,
                                               const TemporalDecoderOptions& options);
    /// Runs of equal values other than -1 as segments (confidence from `scores` when it matches).
    static std::vector<SegmentProposal> segmentsOf(const std::vector<int>& states, const FrameScores& scores);
};

} // namespace saccade
