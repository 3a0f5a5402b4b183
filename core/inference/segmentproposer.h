#pragma once

#include <QtGlobal>

#include <vector>

namespace saccade {

/// The prediction of one analysed window, as the proposer needs it.
struct WindowPrediction {
    /// First and last source frame of the window (inclusive).
    qint64 startFrame = 0;
    qint64 endFrame = 0;
    int topClass = -1;
    double probability = 0.0;
};

struct ProposalOptions {
    /// Windows whose top probability is below this vote for nothing.
    double minConfidence = 0.5;
    /// Runs of one class separated by at most this many frames of other windows are merged.
    qint64 maxGapFrames = 0;
    /// Proposals shorter than this are dropped (after merging).
    qint64 minDurationFrames = 1;
};

/// A proposed segment: half-open [startFrame, endFrame), its class, the mean top probability of the
/// windows that voted for it, and their indices.
struct SegmentProposal {
    int classIndex = -1;
    qint64 startFrame = 0;
    qint64 endFrame = 0;
    double confidence = 0.0;
    std::vector<int> windows;
};

/// Turns per-window predictions into segments: each window owns the frames from the midpoint with
/// its predecessor's centre to the midpoint with its successor's (its whole span when windows do not
/// overlap); consecutive confident windows of the same top class form a run; runs of one class whose
/// gap is at most maxGapFrames merge; short results are dropped. Pure function, any thread.
class SegmentProposer {
public:
    /// `windows` in any order; indices in the proposals refer to this vector.
    static std::vector<SegmentProposal> propose(const std::vector<WindowPrediction>& windows,
                                                const ProposalOptions& options);
};

} // namespace saccade
