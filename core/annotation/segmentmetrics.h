#pragma once

#include <QtGlobal>

#include <array>
#include <vector>

namespace saccade {

/// A run of one label in a per-frame labelling: half-open [start, end).
struct LabelRun {
    int label = 0;
    qint64 start = 0;
    qint64 end = 0;
};

/// Matches at one IoU threshold, counted the way the action segmentation literature does (MS-TCN's
/// F1@k): predicted segments in time order each take the true segment of the same label they overlap
/// most; a hit when the IoU reaches the threshold and that true segment is still free, else a false
/// positive; true segments left free are misses.
struct SegmentMatchCounts {
    qint64 truePositives = 0;
    qint64 falsePositives = 0;
    qint64 falseNegatives = 0;

    double precision() const;
    double recall() const;
    /// 2PR / (P + R); 0 when there is nothing to match (and 1 when both sides have no segment).
    double f1() const;
    SegmentMatchCounts& operator+=(const SegmentMatchCounts& other);
};

/// Segment-level metrics of a predicted labelling against a reference, per video. Label 0 (no label,
/// background) is never a segment. Pure functions, any thread.
class SegmentMetrics {
public:
    static constexpr std::array<double, 3> kIouThresholds = {0.10, 0.25, 0.50};

    /// The runs of labels other than 0.
    static std::vector<LabelRun> segments(const std::vector<int>& frameLabels);
    static double iou(const LabelRun& a, const LabelRun& b);
    static SegmentMatchCounts match(const std::vector<LabelRun>& truth,
                                    const std::vector<LabelRun>& predicted, double iouThreshold);
    /// (1 - Levenshtein distance of the two label sequences / the longer length) * 100; 100 when both
    /// are empty. Measures over-segmentation and order errors, not timing.
    static double editScore(const std::vector<LabelRun>& truth, const std::vector<LabelRun>& predicted);
    /// For every pair matched at IoU >= 0.10 (as in match()), |start difference| and |end difference| in
    /// frames.
    static std::vector<qint64> boundaryErrors(const std::vector<LabelRun>& truth,
                                              const std::vector<LabelRun>& predicted);
    /// The median of `values` (mean of the middle two for an even count); -1 when empty.
    static double median(std::vector<qint64> values);
};

} // namespace saccade
