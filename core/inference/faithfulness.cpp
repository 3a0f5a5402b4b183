#include "core/inference/faithfulness.h"

#include "core/inference/windowresult.h"
#include "core/model/timesformermodel.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

namespace saccade {

namespace {

// A uniform integer in [0, bound) without modulo bias, the same on every standard library.
quint64 uniformBelow(std::mt19937_64& engine, quint64 bound) {
    const quint64 limit = std::numeric_limits<quint64>::max() - std::numeric_limits<quint64>::max() % bound;
    quint64 value = engine();
    while (value >= limit)
        value = engine();
    return value % bound;
}

} // namespace

double FaithfulnessResult::randomDrop() const {
    if (randomScores.empty())
        return 0.0;
    double sum = 0.0;
    for (double score : randomScores)
        sum += baseScore - score;
    return sum / double(randomScores.size());
}

double FaithfulnessResult::randomDropSpread() const {
    if (randomScores.size() < 2)
        return 0.0;
    const double mean = randomDrop();
    double squares = 0.0;
    for (double score : randomScores) {
        const double deviation = (baseScore - score) - mean;
        squares += deviation * deviation;
    }
    return std::sqrt(squares / double(randomScores.size() - 1));
}

int FaithfulnessCheck::maskedPatchCount(double fraction, int total) {
    if (total <= 0)
        return 0;
    const auto count = static_cast<int>(std::lround(fraction * total));
    return std::clamp(count, 1, total);
}

std::vector<int> FaithfulnessCheck::mostAttendedPatches(const FloatArray& map, int count) {
    const auto total = static_cast<int>(map.values.size());
    std::vector<int> order(static_cast<size_t>(total));
    std::iota(order.begin(), order.end(), 0);
    const int kept = std::clamp(count, 0, total);
    std::partial_sort(order.begin(), order.begin() + kept, order.end(), [&map](int a, int b) {
        const float va = map.values[size_t(a)];
        const float vb = map.values[size_t(b)];
        return va > vb || (va == vb && a < b);
    });
    order.resize(static_cast<size_t>(kept));
    return order;
}

std::vector<int> FaithfulnessCheck::randomPatches(int total, int count, quint64 seed) {
    if (total <= 0)
        return {};
    const int kept = std::clamp(count, 0, total);
    std::vector<int> pool(static_cast<size_t>(total));
    std::iota(pool.begin(), pool.end(), 0);
    std::mt19937_64 engine(seed);
    // Partial Fisher-Yates: the first `kept` entries become a uniform sample without repeats.
    for (int i = 0; i < kept; ++i) {
        const auto j = i + static_cast<int>(uniformBelow(engine, quint64(total - i)));
        std::swap(pool[size_t(i)], pool[size_t(j)]);
    }
    pool.resize(static_cast<size_t>(kept));
    return pool;
}

Status FaithfulnessCheck::maskPatches(FloatArray& clip, const std::vector<int>& patches, int patchSize) {
    if (clip.shape.size() != 5 || clip.shape[0] != 1 || clip.shape[1] != 3 || clip.shape[3] != clip.shape[4])
        return Error::invalidArgument(
            QStringLiteral("a clip to mask must be (1, 3, T, S, S), not %1").arg(clip.shapeString()));
    const int64_t frames = clip.shape[2];
    const int64_t size = clip.shape[3];
    if (patchSize <= 0 || size % patchSize != 0)
        return Error::invalidArgument(
            QStringLiteral("clip size %1 is not a multiple of the patch size %2").arg(size).arg(patchSize));
    const int64_t grid = size / patchSize;
    const int64_t total = frames * grid * grid;
    for (int patch : patches) {
        if (patch < 0 || patch >= total)
            return Error::invalidArgument(
                QStringLiteral("patch %1 is outside the clip's %2 patches").arg(patch).arg(total));
        const int64_t t = patch / (grid * grid);
        const int64_t row = (patch / grid) % grid;
        const int64_t column = patch % grid;
        for (int64_t channel = 0; channel < 3; ++channel) {
            float* plane = clip.values.data() + ((channel * frames + t) * size) * size;
            for (int64_t y = row * patchSize; y < (row + 1) * patchSize; ++y)
                std::fill_n(plane + y * size + column * patchSize, patchSize, 0.0f);
        }
    }
    return {};
}

Result<FaithfulnessResult> FaithfulnessCheck::run(const FloatArray& clip, const FloatArray& map,
                                                  int patchSize, const ScoreFunction& score,
                                                  const FaithfulnessOptions& options,
                                                  const CancellationToken& cancel,
                                                  const ProgressFunction& progress) {
    if (clip.shape.size() != 5 || patchSize <= 0 || clip.shape[3] % patchSize != 0)
        return Error::invalidArgument(QStringLiteral("a clip to check must be (1, 3, T, S, S) with S a "
                                                     "multiple of the patch size, not %1")
                                          .arg(clip.shapeString()));
    const int64_t grid = clip.shape[3] / patchSize;
    if (map.shape != std::vector<int64_t>{clip.shape[2], grid, grid})
        return Error::invalidArgument(
            QStringLiteral("the attention map %1 does not fit the clip's %2 x %3 x %4 "
                           "patches")
                .arg(map.shapeString())
                .arg(clip.shape[2])
                .arg(grid)
                .arg(grid));
    if (!(options.maskFraction > 0.0 && options.maskFraction <= 1.0))
        return Error::invalidArgument(
            QStringLiteral("the masked share must be in (0, 1], not %1").arg(options.maskFraction));
    if (options.randomDraws < 0)
        return Error::invalidArgument(QStringLiteral("the number of random masks cannot be negative"));

    FaithfulnessResult result;
    result.totalPatches = static_cast<int>(map.values.size());
    result.maskedPatches = maskedPatchCount(options.maskFraction, result.totalPatches);
    const int passes = 2 + options.randomDraws;
    int done = 0;
    auto report = [&] {
        ++done;
        if (progress)
            progress(double(done) / passes);
    };
    // Scores `patches` masked (none: the clip as it is) for the class chosen by the first pass.
    auto evaluate = [&](const std::vector<int>& patches) -> Result<double> {
        if (cancel.isCancelled())
            return Error::cancelled();
        FloatArray masked = clip;
        if (Status status = maskPatches(masked, patches, patchSize); !status.ok())
            return status.error();
        Result<std::vector<float>> probabilities = score(masked);
        if (!probabilities.ok())
            return probabilities.error();
        if (probabilities->empty())
            return Error::invalidArgument(QStringLiteral("the model returned no class scores"));
        if (result.classIndex < 0)
            result.classIndex = static_cast<int>(
                std::max_element(probabilities->begin(), probabilities->end()) - probabilities->begin());
        if (result.classIndex >= static_cast<int>(probabilities->size()))
            return Error::invalidArgument(QStringLiteral("the model returned too few class scores"));
        report();
        return double((*probabilities)[size_t(result.classIndex)]);
    };

    Result<double> base = evaluate({});
    if (!base.ok())
        return base.error();
    result.baseScore = base.value();
    Result<double> attended = evaluate(mostAttendedPatches(map, result.maskedPatches));
    if (!attended.ok())
        return attended.error();
    result.attendedScore = attended.value();
    for (int draw = 0; draw < options.randomDraws; ++draw) {
        Result<double> random =
            evaluate(randomPatches(result.totalPatches, result.maskedPatches, options.seed + quint64(draw)));
        if (!random.ok())
            return random.error();
        result.randomScores.push_back(random.value());
    }
    return result;
}

FaithfulnessCheck::ScoreFunction FaithfulnessCheck::modelScore(TimeSformerModel& model) {
    return [&model](const FloatArray& clip) -> Result<std::vector<float>> {
        Result<ForwardResult> forward = model.forward(clip, false);
        if (!forward.ok())
            return forward.error();
        // One softmax for the whole code base: the one window results use.
        WindowResult scored;
        scored.setLogits(std::move(forward->logits.values), {}, 0);
        return std::move(scored.probabilities);
    };
}

} // namespace saccade
