#include "core/annotation/segmentmetrics.h"

#include <algorithm>

namespace saccade {

namespace {

// For each predicted segment in order, the index of the true segment it hits at `threshold`, or -1.
std::vector<int> greedyMatches(const std::vector<LabelRun>& truth, const std::vector<LabelRun>& predicted,
                               double threshold) {
    std::vector<int> matches(predicted.size(), -1);
    std::vector<bool> taken(truth.size(), false);
    for (size_t p = 0; p < predicted.size(); ++p) {
        int best = -1;
        double bestIou = 0.0;
        for (size_t t = 0; t < truth.size(); ++t) {
            if (truth[t].label != predicted[p].label)
                continue;
            const double overlap = SegmentMetrics::iou(truth[t], predicted[p]);
            if (best < 0 || overlap > bestIou) {
                best = static_cast<int>(t);
                bestIou = overlap;
            }
        }
        if (best >= 0 && bestIou >= threshold && !taken[size_t(best)]) {
            taken[size_t(best)] = true;
            matches[p] = best;
        }
    }
    return matches;
}

} // namespace

double SegmentMatchCounts::precision() const {
    const qint64 predicted = truePositives + falsePositives;
    return predicted > 0 ? double(truePositives) / double(predicted) : 0.0;
}

double SegmentMatchCounts::recall() const {
    const qint64 truth = truePositives + falseNegatives;
    return truth > 0 ? double(truePositives) / double(truth) : 0.0;
}

double SegmentMatchCounts::f1() const {
    if (truePositives + falsePositives + falseNegatives == 0)
        return 1.0;
    const double p = precision();
    const double r = recall();
    return p + r > 0.0 ? 2.0 * p * r / (p + r) : 0.0;
}

SegmentMatchCounts& SegmentMatchCounts::operator+=(const SegmentMatchCounts& other) {
    truePositives += other.truePositives;
    falsePositives += other.falsePositives;
    falseNegatives += other.falseNegatives;
    return *this;
}

std::vector<LabelRun> SegmentMetrics::segments(const std::vector<int>& frameLabels) {
    std::vector<LabelRun> runs;
    for (qint64 frame = 0; frame < static_cast<qint64>(frameLabels.size()); ++frame) {
        const int label = frameLabels[size_t(frame)];
        if (!runs.empty() && runs.back().label == label && runs.back().end == frame)
            runs.back().end = frame + 1;
        else if (label != 0)
            runs.push_back({label, frame, frame + 1});
    }
    return runs;
}

double SegmentMetrics::iou(const LabelRun& a, const LabelRun& b) {
    const qint64 intersection = std::max<qint64>(0, std::min(a.end, b.end) - std::max(a.start, b.start));
    const qint64 unionFrames = std::max(a.end, b.end) - std::min(a.start, b.start);
    return unionFrames > 0 ? double(intersection) / double(unionFrames) : 0.0;
}

SegmentMatchCounts SegmentMetrics::match(const std::vector<LabelRun>& truth,
                                         const std::vector<LabelRun>& predicted, double iouThreshold) {
    const std::vector<int> matches = greedyMatches(truth, predicted, iouThreshold);
    SegmentMatchCounts counts;
    for (int match : matches) {
        if (match >= 0)
            ++counts.truePositives;
        else
            ++counts.falsePositives;
    }
    counts.falseNegatives = static_cast<qint64>(truth.size()) - counts.truePositives;
    return counts;
}

double SegmentMetrics::editScore(const std::vector<LabelRun>& truth, const std::vector<LabelRun>& predicted) {
    const size_t m = truth.size();
    const size_t n = predicted.size();
    if (m == 0 && n == 0)
        return 100.0;
    std::vector<size_t> previous(n + 1);
    std::vector<size_t> current(n + 1);
    for (size_t j = 0; j <= n; ++j)
        previous[j] = j;
    for (size_t i = 1; i <= m; ++i) {
        current[0] = i;
        for (size_t j = 1; j <= n; ++j) {
            const size_t substitution =
                previous[j - 1] + (truth[i - 1].label == predicted[j - 1].label ? 0 : 1);
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
        }
        previous.swap(current);
    }
    return (1.0 - double(previous[n]) / double(std::max(m, n))) * 100.0;
}

std::vector<qint64> SegmentMetrics::boundaryErrors(const std::vector<LabelRun>& truth,
                                                   const std::vector<LabelRun>& predicted) {
    const std::vector<int> matches = greedyMatches(truth, predicted, kIouThresholds.front());
    std::vector<qint64> errors;
    for (size_t p = 0; p < predicted.size(); ++p) {
        if (matches[p] < 0)
            continue;
        const LabelRun& t = truth[size_t(matches[p])];
        errors.push_back(std::abs(predicted[p].start - t.start));
        errors.push_back(std::abs(predicted[p].end - t.end));
    }
    return errors;
}

double SegmentMetrics::median(std::vector<qint64> values) {
    if (values.empty())
        return -1.0;
    std::sort(values.begin(), values.end());
    const size_t middle = values.size() / 2;
    if (values.size() % 2 == 1)
        return double(values[middle]);
    return 0.5 * double(values[middle - 1] + values[middle]);
}

} // namespace saccade
