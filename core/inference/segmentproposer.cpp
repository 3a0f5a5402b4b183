#include "core/inference/segmentproposer.h"

#include <algorithm>
#include <numeric>

namespace saccade {

std::vector<SegmentProposal> SegmentProposer::propose(const std::vector<WindowPrediction>& windows,
                                                      const ProposalOptions& options) {
    std::vector<int> order(windows.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&windows](int a, int b) {
        return windows[size_t(a)].startFrame < windows[size_t(b)].startFrame;
    });
    // Twice the centre, to stay in integers.
    auto doubleCentre = [&windows](int index) {
        return windows[size_t(index)].startFrame + windows[size_t(index)].endFrame;
    };
    const size_t count = order.size();
    std::vector<qint64> ownedStart(count);
    std::vector<qint64> ownedEnd(count);
    for (size_t i = 0; i < count; ++i) {
        const WindowPrediction& window = windows[size_t(order[i])];
        // Midpoints rounded up: a window owns [ceil(mid(prev)), ceil(mid(next))).
        ownedStart[i] =
            i == 0 ? window.startFrame : (doubleCentre(order[i - 1]) + doubleCentre(order[i]) + 3) / 4;
        ownedEnd[i] = i + 1 == count ? window.endFrame + 1
                                     : (doubleCentre(order[i]) + doubleCentre(order[i + 1]) + 3) / 4;
        ownedEnd[i] = std::max(ownedEnd[i], ownedStart[i]);
    }

    // Runs of consecutive confident windows of one class.
    std::vector<SegmentProposal> runs;
    int previousClass = -1;
    for (size_t i = 0; i < count; ++i) {
        const WindowPrediction& window = windows[size_t(order[i])];
        const bool votes = window.topClass >= 0 && window.probability >= options.minConfidence;
        if (!votes) {
            previousClass = -1;
            continue;
        }
        if (window.topClass == previousClass && !runs.empty() && runs.back().endFrame == ownedStart[i]) {
            runs.back().endFrame = ownedEnd[i];
            runs.back().windows.push_back(order[i]);
        } else {
            runs.push_back({window.topClass, ownedStart[i], ownedEnd[i], 0.0, {order[i]}});
        }
        previousClass = window.topClass;
    }

    // Merge runs of one class across short gaps (other classes or unconfident windows in between).
    std::vector<SegmentProposal> merged;
    for (SegmentProposal& run : runs) {
        auto same = std::find_if(merged.rbegin(), merged.rend(), [&run](const SegmentProposal& earlier) {
            return earlier.classIndex == run.classIndex;
        });
        if (same != merged.rend() && run.startFrame - same->endFrame <= options.maxGapFrames) {
            // Runs of other classes after `same` lie inside the gap: they are absorbed.
            const auto keep = merged.size() - static_cast<size_t>(same - merged.rbegin());
            SegmentProposal& target = merged[keep - 1];
            target.endFrame = run.endFrame;
            target.windows.insert(target.windows.end(), run.windows.begin(), run.windows.end());
            merged.resize(keep);
        } else {
            merged.push_back(std::move(run));
        }
    }

    std::vector<SegmentProposal> proposals;
    for (SegmentProposal& proposal : merged) {
        if (proposal.endFrame - proposal.startFrame < std::max<qint64>(options.minDurationFrames, 1))
            continue;
        double sum = 0.0;
        for (int index : proposal.windows)
            sum += windows[size_t(index)].probability;
        proposal.confidence = sum / static_cast<double>(proposal.windows.size());
        std::sort(proposal.windows.begin(), proposal.windows.end());
        proposals.push_back(std::move(proposal));
    }
    return proposals;
}

} // namespace saccade
