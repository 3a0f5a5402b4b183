#include "core/training/attentionrollout.h"

#include <algorithm>
#include <map>

namespace saccade {

namespace {

// Fused (over heads) attention of one row block: `size` x `size`, plus identity, rows renormalised.
std::vector<double> fusedWithIdentity(const FloatArray& map, int64_t row, int64_t size,
                                      const RolloutOptions& options) {
    const int64_t heads = map.shape[1];
    const float* base = map.values.data() + row * heads * size * size;
    std::vector<double> fused(static_cast<size_t>(size * size), 0.0);
    for (int64_t i = 0; i < size * size; ++i) {
        double value = base[i];
        for (int64_t a = 1; a < heads; ++a) {
            const double next = base[a * size * size + i];
            switch (options.fusion) {
            case HeadFusion::Mean:
                value += next;
                break;
            case HeadFusion::Max:
                value = std::max(value, next);
                break;
            case HeadFusion::Min:
                value = std::min(value, next);
                break;
            }
        }
        fused[static_cast<size_t>(i)] =
            options.fusion == HeadFusion::Mean ? value / static_cast<double>(heads) : value;
    }
    const int64_t discard = static_cast<int64_t>(options.discardRatio * static_cast<double>(size));
    std::vector<double> sorted(static_cast<size_t>(size));
    for (int64_t r = 0; r < size; ++r) {
        double* rowValues = fused.data() + r * size;
        if (discard > 0 && discard < size) {
            std::copy(rowValues, rowValues + size, sorted.begin());
            std::nth_element(sorted.begin(), sorted.begin() + discard, sorted.end());
            const double threshold = sorted[static_cast<size_t>(discard)];
            for (int64_t c = 0; c < size; ++c)
                if (rowValues[c] < threshold)
                    rowValues[c] = 0.0;
        }
        rowValues[r] += 1.0;
        double sum = 0.0;
        for (int64_t c = 0; c < size; ++c)
            sum += rowValues[c];
        for (int64_t c = 0; c < size; ++c)
            rowValues[c] /= sum;
    }
    return fused;
}

} // namespace

Result<FloatArray> AttentionRollout::compute(const std::vector<AttentionMap>& maps, int batchItem, int frames,
                                             int gridHeight, int gridWidth, const RolloutOptions& options) {
    const int64_t t = frames;
    const int64_t n = static_cast<int64_t>(gridHeight) * gridWidth;
    const int64_t tokens = 1 + n * t;
    // Layer -> its maps, in layer order.
    std::map<int, std::vector<const AttentionMap*>> layers;
    for (const AttentionMap& map : maps)
        layers[map.layer].push_back(&map);
    if (layers.empty())
        return Error::invalidArgument(QStringLiteral("no attention maps were captured"));

    // v holds the cls row of the product W_L ... W_l; token order [cls, (n, t) at 1 + n*T + t].
    std::vector<double> v(static_cast<size_t>(tokens), 0.0);
    v[0] = 1.0;
    for (auto layer = layers.rbegin(); layer != layers.rend(); ++layer) {
        const AttentionMap* space = nullptr;
        const AttentionMap* time = nullptr;
        const AttentionMap* joint = nullptr;
        for (const AttentionMap* map : layer->second) {
            if (map->kind == QLatin1String("space"))
                space = map;
            else if (map->kind == QLatin1String("time"))
                time = map;
            else if (map->kind == QLatin1String("joint"))
                joint = map;
        }
        std::vector<double> next(static_cast<size_t>(tokens), 0.0);
        if (joint) {
            const FloatArray& a = joint->probabilities;
            if (a.shape.size() != 4 || a.shape[2] != tokens || a.shape[3] != tokens ||
                batchItem >= a.shape[0])
                return Error::invalidArgument(
                    QStringLiteral("joint attention has shape %1").arg(a.shapeString()));
            const std::vector<double> w = fusedWithIdentity(a, batchItem, tokens, options);
            for (int64_t i = 0; i < tokens; ++i)
                if (v[i] != 0.0)
                    for (int64_t j = 0; j < tokens; ++j)
                        next[j] += v[i] * w[i * tokens + j];
        } else if (space && time) {
            const FloatArray& s = space->probabilities;
            const FloatArray& tm = time->probabilities;
            if (s.shape.size() != 4 || s.shape[2] != 1 + n || s.shape[0] < (batchItem + 1) * t ||
                tm.shape.size() != 4 || tm.shape[2] != t || tm.shape[0] < (batchItem + 1) * n)
                return Error::invalidArgument(
                    QStringLiteral("attention shapes %1 and %2 do not fit a %3x%4x%5 grid")
                        .arg(s.shapeString(), tm.shapeString())
                        .arg(t)
                        .arg(gridHeight)
                        .arg(gridWidth));
            // u[t][k] = sum_p v[(p,t)] S_t[p -> k] + v[cls] / T * S_t[0 -> k]
            std::vector<double> u(static_cast<size_t>(t * (1 + n)), 0.0);
            for (int64_t frame = 0; frame < t; ++frame) {
                const std::vector<double> st = fusedWithIdentity(s, batchItem * t + frame, 1 + n, options);
                double* uRow = u.data() + frame * (1 + n);
                const double clsShare = v[0] / static_cast<double>(t);
                for (int64_t k = 0; k <= n; ++k)
                    uRow[k] += clsShare * st[k];
                for (int64_t p = 0; p < n; ++p) {
                    const double weight = v[1 + p * t + frame];
                    if (weight == 0.0)
                        continue;
                    const double* sRow = st.data() + (1 + p) * (1 + n);
                    for (int64_t k = 0; k <= n; ++k)
                        uRow[k] += weight * sRow[k];
                }
            }
            // next[(k,q)] = sum_t u[t][k] T_k[t -> q]; next[cls] = sum_t u[t][0]
            for (int64_t frame = 0; frame < t; ++frame)
                next[0] += u[frame * (1 + n)];
            for (int64_t k = 0; k < n; ++k) {
                const std::vector<double> tk = fusedWithIdentity(tm, batchItem * n + k, t, options);
                for (int64_t frame = 0; frame < t; ++frame) {
                    const double weight = u[frame * (1 + n) + 1 + k];
                    for (int64_t q = 0; q < t; ++q)
                        next[1 + k * t + q] += weight * tk[frame * t + q];
                }
            }
        } else {
            return Error::unsupported(QString(),
                                      QStringLiteral("rollout needs divided (space and time) or joint "
                                                     "attention maps in layer %1")
                                          .arg(layer->first));
        }
        v.swap(next);
    }

    FloatArray rollout;
    rollout.shape = {t, gridHeight, gridWidth};
    rollout.values.resize(static_cast<size_t>(t * n));
    for (int64_t k = 0; k < n; ++k)
        for (int64_t frame = 0; frame < t; ++frame)
            rollout.values[static_cast<size_t>(frame * n + k)] = static_cast<float>(v[1 + k * t + frame]);
    return rollout;
}

double AttentionRollout::massRatioInBox(const FloatArray& rollout, int frame, const QRectF& box,
                                        const QSizeF& frameSize) {
    if (rollout.shape.size() != 3 || frame < 0 || frame >= rollout.shape[0] || frameSize.isEmpty())
        return -1.0;
    const QRectF frameRect(QPointF(0, 0), frameSize);
    const QRectF inside = box.intersected(frameRect);
    if (inside.isEmpty())
        return -1.0;
    const int64_t rows = rollout.shape[1];
    const int64_t columns = rollout.shape[2];
    const double cellWidth = frameSize.width() / static_cast<double>(columns);
    const double cellHeight = frameSize.height() / static_cast<double>(rows);
    const float* values = rollout.values.data() + frame * rows * columns;
    double total = 0.0;
    double inBox = 0.0;
    for (int64_t r = 0; r < rows; ++r) {
        for (int64_t c = 0; c < columns; ++c) {
            const double mass = values[r * columns + c];
            total += mass;
            const QRectF cell(c * cellWidth, r * cellHeight, cellWidth, cellHeight);
            const QRectF overlap = cell.intersected(inside);
            if (!overlap.isEmpty())
                inBox += mass * (overlap.width() * overlap.height()) / (cellWidth * cellHeight);
        }
    }
    if (total <= 0.0)
        return -1.0;
    const double boxShare = inside.width() * inside.height() / (frameSize.width() * frameSize.height());
    return (inBox / total) / boxShare;
}

} // namespace saccade
