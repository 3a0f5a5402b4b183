#include "core/inference/temporaldecoder.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <utility>

namespace saccade {

namespace {

constexpr double kFloor = 1e-6;

struct Run {
    int state = -1;
    qint64 start = 0;
    qint64 end = 0; // exclusive
};

std::vector<Run> runsOf(const std::vector<int>& states) {
    std::vector<Run> runs;
    for (qint64 frame = 0; frame < static_cast<qint64>(states.size()); ++frame) {
        if (runs.empty() || runs.back().state != states[size_t(frame)])
            runs.push_back({states[size_t(frame)], frame, frame + 1});
        else
            runs.back().end = frame + 1;
    }
    return runs;
}

// Emission of every state per frame: the action classes, then the background state.
class Emissions {
public:
    Emissions(const FrameScores& scores, const TemporalDecoderOptions& options)
        : m_scores(scores), m_options(options), m_states(scores.classCount + 1) {}

    int stateCount() const { return m_states; }
    int backgroundState() const { return m_states - 1; }

    double logScore(qint64 frame, int state) const {
        if (!m_scores.covered.empty() && !m_scores.covered[size_t(frame)])
            return state == backgroundState() ? 0.0 : std::log(kFloor);
        if (state == backgroundState()) {
            // Without a background class the threshold stands in for its probability.
            const double p = m_options.backgroundClass >= 0 ? m_scores.at(frame, m_options.backgroundClass)
                                                            : m_options.actionnessThreshold;
            return std::log(std::max(kFloor, p));
        }
        if (state == m_options.backgroundClass)
            return std::log(kFloor); // reached through the background state only
        return std::log(std::max(kFloor, double(m_scores.at(frame, state))));
    }

    int classOf(int state) const { return state == backgroundState() ? -1 : state; }

private:
    const FrameScores& m_scores;
    const TemporalDecoderOptions& m_options;
    int m_states;
};

// Viterbi over a chain where staying is free and any change costs `penalty`.
std::vector<int> viterbi(const Emissions& emissions, qint64 frames, double penalty) {
    const int states = emissions.stateCount();
    std::vector<double> score(static_cast<size_t>(states));
    std::vector<int> backPointers(static_cast<size_t>(frames * states));
    for (int s = 0; s < states; ++s)
        score[size_t(s)] = emissions.logScore(0, s);
    std::vector<double> next(static_cast<size_t>(states));
    for (qint64 frame = 1; frame < frames; ++frame) {
        const int best = int(std::max_element(score.begin(), score.end()) - score.begin());
        for (int s = 0; s < states; ++s) {
            const double stay = score[size_t(s)];
            const double change = score[size_t(best)] - penalty;
            const bool changes = best != s && change > stay;
            backPointers[size_t(frame * states + s)] = changes ? best : s;
            next[size_t(s)] = (changes ? change : stay) + emissions.logScore(frame, s);
        }
        score.swap(next);
    }
    std::vector<int> path(static_cast<size_t>(frames));
    int state = int(std::max_element(score.begin(), score.end()) - score.begin());
    for (qint64 frame = frames - 1; frame >= 0; --frame) {
        path[size_t(frame)] = emissions.classOf(state);
        if (frame > 0)
            state = backPointers[size_t(frame * states + state)];
    }
    return path;
}

// Sum of `state`'s log score over [start, end).
double runScore(const Emissions& emissions, int classIndex, qint64 start, qint64 end) {
    const int state = classIndex < 0 ? emissions.backgroundState() : classIndex;
    double total = 0.0;
    for (qint64 frame = start; frame < end; ++frame)
        total += emissions.logScore(frame, state);
    return total;
}

// Merges runs shorter than the minimum into the better-scoring neighbour, shortest first.
// Runs shorter than minFrames, shortest first, take the state of the neighbour whose class explains
// them better (the only neighbour at either end), and merge with it. Works on the list of runs, kept
// ordered by length in a set: O(R log R) for R runs.
void absorbShortRuns(std::vector<int>& states, const Emissions& emissions, qint64 minFrames) {
    if (minFrames <= 1)
        return;
    std::vector<Run> runs = runsOf(states);
    if (runs.size() <= 1)
        return;
    const int count = int(runs.size());
    std::vector<int> prevRun(static_cast<size_t>(count));
    std::vector<int> nextRun(static_cast<size_t>(count));
    std::vector<bool> removed(size_t(count), false);
    for (int i = 0; i < count; ++i) {
        prevRun[size_t(i)] = i - 1;
        nextRun[size_t(i)] = i + 1 < count ? i + 1 : -1;
    }
    const auto length = [&runs](int i) {
        return runs[size_t(i)].end - runs[size_t(i)].start;
    };
    std::set<std::pair<qint64, int>> shortRuns; // (length, index): the shortest, then the earliest
    for (int i = 0; i < count; ++i)
        if (length(i) < minFrames)
            shortRuns.emplace(length(i), i);
    // Merges run `from` into its neighbour `into` (same state), unlinking `from`.
    const auto merge = [&](int into, int from) {
        shortRuns.erase({length(into), into});
        shortRuns.erase({length(from), from});
        runs[size_t(into)].start = std::min(runs[size_t(into)].start, runs[size_t(from)].start);
        runs[size_t(into)].end = std::max(runs[size_t(into)].end, runs[size_t(from)].end);
        removed[size_t(from)] = true;
        const int before = prevRun[size_t(from)];
        const int after = nextRun[size_t(from)];
        if (before >= 0)
            nextRun[size_t(before)] = after;
        if (after >= 0)
            prevRun[size_t(after)] = before;
        if (length(into) < minFrames && (prevRun[size_t(into)] >= 0 || nextRun[size_t(into)] >= 0))
            shortRuns.emplace(length(into), into);
    };
    while (!shortRuns.empty()) {
        const int shortest = shortRuns.begin()->second;
        const int left = prevRun[size_t(shortest)];
        const int right = nextRun[size_t(shortest)];
        if (left < 0 && right < 0) {
            shortRuns.erase(shortRuns.begin());
            continue;
        }
        const Run& run = runs[size_t(shortest)];
        int into = left < 0 ? right : left;
        if (left >= 0 && right >= 0)
            into = runScore(emissions, runs[size_t(left)].state, run.start, run.end) >=
                           runScore(emissions, runs[size_t(right)].state, run.start, run.end)
                       ? left
                       : right;
        merge(into, shortest);
        // The absorbed run may have been all that kept two runs of one state apart.
        const int other = into == left ? nextRun[size_t(into)] : prevRun[size_t(into)];
        if (other >= 0 && runs[size_t(other)].state == runs[size_t(into)].state)
            merge(into, other);
    }
    for (int i = 0; i < count; ++i)
        if (!removed[size_t(i)])
            std::fill(states.begin() + runs[size_t(i)].start, states.begin() + runs[size_t(i)].end,
                      runs[size_t(i)].state);
}

} // namespace

int TemporalDecoder::backgroundClassIndex(const QStringList& labels) {
    for (int i = 0; i < labels.size(); ++i)
        if (labels[i].compare(QLatin1String("background"), Qt::CaseInsensitive) == 0)
            return i;
    return -1;
}

std::vector<int> TemporalDecoder::decodeFrames(const FrameScores& scores,
                                               const TemporalDecoderOptions& options) {
    if (scores.frameCount <= 0 || scores.classCount <= 0)
        return std::vector<int>(static_cast<size_t>(std::max<qint64>(0, scores.frameCount)), -1);
    TemporalDecoderOptions checked = options;
    if (checked.backgroundClass >= scores.classCount)
        checked.backgroundClass = -1;
    const Emissions emissions(scores, checked);
    std::vector<int> states = viterbi(emissions, scores.frameCount, std::max(0.0, checked.switchPenalty));
    absorbShortRuns(states, emissions, checked.minDurationFrames);
    return states;
}

std::vector<SegmentProposal> TemporalDecoder::segmentsOf(const std::vector<int>& states,
                                                         const FrameScores& scores) {
    std::vector<SegmentProposal> segments;
    for (const Run& run : runsOf(states)) {
        if (run.state < 0)
            continue;
        SegmentProposal segment;
        segment.classIndex = run.state;
        segment.startFrame = run.start;
        segment.endFrame = run.end;
        if (run.state < scores.classCount && scores.frameCount >= run.end) {
            double total = 0.0;
            for (qint64 frame = run.start; frame < run.end; ++frame)
                total += scores.at(frame, run.state);
            segment.confidence = total / double(run.end - run.start);
        }
        segments.push_back(segment);
    }
    return segments;
}

std::vector<SegmentProposal> TemporalDecoder::decode(const FrameScores& scores,
                                                     const TemporalDecoderOptions& options) {
    return segmentsOf(decodeFrames(scores, options), scores);
}

} // namespace saccade
