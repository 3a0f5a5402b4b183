#include "core/inference/attentionanalysis.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace saccade {

namespace {

struct LayerMaps {
    const AttentionMap* space = nullptr;
    const AttentionMap* time = nullptr;
    const AttentionMap* joint = nullptr;
};

std::map<int, LayerMaps> byLayer(const std::vector<AttentionMap>& maps) {
    std::map<int, LayerMaps> layers;
    for (const AttentionMap& map : maps) {
        LayerMaps& layer = layers[map.layer];
        if (map.kind == QLatin1String("space"))
            layer.space = &map;
        else if (map.kind == QLatin1String("time"))
            layer.time = &map;
        else if (map.kind == QLatin1String("joint"))
            layer.joint = &map;
    }
    return layers;
}

// Checks a captured map is (rows >= firstRow + rowCount, A, size, size).
Status checkMap(const AttentionMap& map, int64_t firstRow, int64_t rowCount, int64_t size) {
    const FloatArray& p = map.probabilities;
    if (p.shape.size() != 4 || p.shape[0] < firstRow + rowCount || p.shape[2] != size || p.shape[3] != size ||
        static_cast<int64_t>(p.values.size()) != p.elementCount())
        return Error::invalidArgument(
            QStringLiteral("%1 attention of layer %2 has shape %3, expected rows of "
                           "%4x%4")
                .arg(map.kind)
                .arg(map.layer)
                .arg(p.shapeString())
                .arg(size));
    return {};
}

// Start of row `row`, head `head` of a (rows, A, size, size) map.
const float* mapAt(const AttentionMap& map, int64_t row, int64_t head) {
    const std::vector<int64_t>& s = map.probabilities.shape;
    return map.probabilities.values.data() + ((row * s[1] + head) * s[2]) * s[3];
}

} // namespace

std::vector<double> AttentionAnalysis::fuseHeads(const float* maps, int heads, int64_t count,
                                                 HeadFusion fusion) {
    std::vector<double> fused(maps, maps + count);
    for (int a = 1; a < heads; ++a) {
        const float* head = maps + a * count;
        for (int64_t i = 0; i < count; ++i) {
            switch (fusion) {
            case HeadFusion::Mean:
                fused[i] += head[i];
                break;
            case HeadFusion::Max:
                fused[i] = std::max<double>(fused[i], head[i]);
                break;
            case HeadFusion::Min:
                fused[i] = std::min<double>(fused[i], head[i]);
                break;
            }
        }
    }
    if (fusion == HeadFusion::Mean && heads > 0)
        for (double& value : fused)
            value /= heads;
    return fused;
}

void AttentionAnalysis::discardLowest(std::vector<double>& matrix, int64_t rows, int64_t columns,
                                      double ratio) {
    const auto discard = static_cast<int64_t>(std::clamp(ratio, 0.0, 1.0) * static_cast<double>(columns));
    if (discard <= 0)
        return;
    std::vector<int64_t> order(static_cast<size_t>(columns));
    for (int64_t r = 0; r < rows; ++r) {
        double* row = matrix.data() + r * columns;
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [row](int64_t a, int64_t b) { return row[a] < row[b]; });
        for (int64_t i = 0; i < discard; ++i)
            row[order[static_cast<size_t>(i)]] = 0.0;
    }
}

std::vector<double> AttentionAnalysis::rolloutFactor(const float* maps, int heads, int64_t size,
                                                     const RolloutOptions& options) {
    std::vector<double> factor = fuseHeads(maps, heads, size * size, options.fusion);
    discardLowest(factor, size, size, options.discardRatio);
    for (int64_t r = 0; r < size; ++r) {
        double* row = factor.data() + r * size;
        row[r] += 1.0;
        const double sum = std::accumulate(row, row + size, 0.0);
        for (int64_t c = 0; c < size; ++c)
            row[c] /= sum;
    }
    return factor;
}

Result<FloatArray> AttentionAnalysis::spatialClsMaps(const std::vector<AttentionMap>& maps, int view,
                                                     int frames, int gridHeight, int gridWidth) {
    const std::map<int, LayerMaps> layers = byLayer(maps);
    const int64_t n = static_cast<int64_t>(gridHeight) * gridWidth;
    const int64_t t = frames;
    if (layers.empty())
        return Error::invalidArgument(QStringLiteral("no attention maps were captured"));
    int64_t heads = 0;
    FloatArray result;
    std::vector<float>& out = result.values;
    for (const auto& [layer, entry] : layers) {
        if (entry.space) {
            if (Status ok = checkMap(*entry.space, view * t, t, 1 + n); !ok.ok())
                return ok.error();
            heads = entry.space->probabilities.shape[1];
            for (int64_t a = 0; a < heads; ++a)
                for (int64_t f = 0; f < t; ++f) {
                    const float* clsRow = mapAt(*entry.space, view * t + f, a);
                    out.insert(out.end(), clsRow + 1, clsRow + 1 + n);
                }
        } else if (entry.joint) {
            const int64_t tokens = 1 + n * t;
            if (Status ok = checkMap(*entry.joint, view, 1, tokens); !ok.ok())
                return ok.error();
            heads = entry.joint->probabilities.shape[1];
            for (int64_t a = 0; a < heads; ++a) {
                const float* clsRow = mapAt(*entry.joint, view, a);
                for (int64_t f = 0; f < t; ++f)
                    for (int64_t p = 0; p < n; ++p)
                        out.push_back(clsRow[1 + p * t + f]);
            }
        } else {
            return Error::unsupported(
                QString(), QStringLiteral("layer %1 has no spatial or joint attention map").arg(layer));
        }
    }
    result.shape = {static_cast<int64_t>(layers.size()), heads, t, gridHeight, gridWidth};
    if (result.elementCount() != static_cast<int64_t>(out.size()))
        return Error::invalidArgument(QStringLiteral("layers have different head counts"));
    return result;
}

Result<FloatArray> AttentionAnalysis::temporalMaps(const std::vector<AttentionMap>& maps, int view,
                                                   int frames, int patches) {
    const std::map<int, LayerMaps> layers = byLayer(maps);
    FloatArray result;
    int64_t heads = 0;
    int64_t layerCount = 0;
    for (const auto& [layer, entry] : layers) {
        if (!entry.time)
            continue;
        if (Status ok = checkMap(*entry.time, int64_t(view) * patches, patches, frames); !ok.ok())
            return ok.error();
        heads = entry.time->probabilities.shape[1];
        const int64_t block = int64_t(frames) * frames;
        for (int64_t a = 0; a < heads; ++a)
            for (int64_t p = 0; p < patches; ++p) {
                const float* map = mapAt(*entry.time, int64_t(view) * patches + p, a);
                result.values.insert(result.values.end(), map, map + block);
            }
        ++layerCount;
    }
    if (layerCount == 0)
        return FloatArray{};
    result.shape = {layerCount, heads, patches, frames, frames};
    if (result.elementCount() != static_cast<int64_t>(result.values.size()))
        return Error::invalidArgument(QStringLiteral("layers have different head counts"));
    return result;
}

Result<FloatArray> AttentionAnalysis::fullSpatialMaps(const std::vector<AttentionMap>& maps, int view,
                                                      int frames) {
    const std::map<int, LayerMaps> layers = byLayer(maps);
    FloatArray result;
    int64_t heads = 0;
    int64_t size = 0;
    int64_t layerCount = 0;
    for (const auto& [layer, entry] : layers) {
        if (!entry.space)
            continue;
        size = entry.space->probabilities.shape.size() == 4 ? entry.space->probabilities.shape[2] : 0;
        if (Status ok = checkMap(*entry.space, int64_t(view) * frames, frames, size); !ok.ok())
            return ok.error();
        heads = entry.space->probabilities.shape[1];
        const float* first = mapAt(*entry.space, int64_t(view) * frames, 0);
        result.values.insert(result.values.end(), first, first + frames * heads * size * size);
        ++layerCount;
    }
    if (layerCount == 0)
        return Error::unsupported(QString(), QStringLiteral("the model captured no spatial attention"));
    result.shape = {layerCount, frames, heads, size, size};
    if (result.elementCount() != static_cast<int64_t>(result.values.size()))
        return Error::invalidArgument(QStringLiteral("layers have different head counts"));
    return result;
}

Result<FloatArray> AttentionAnalysis::rollout(const std::vector<AttentionMap>& maps, int view, int frames,
                                              int gridHeight, int gridWidth, const RolloutOptions& options) {
    const std::map<int, LayerMaps> layers = byLayer(maps);
    if (layers.empty())
        return Error::invalidArgument(QStringLiteral("no attention maps were captured"));
    const int64_t t = frames;
    const int64_t n = static_cast<int64_t>(gridHeight) * gridWidth;
    const int64_t tokens = 1 + n * t;
    auto token = [t](int64_t patch, int64_t frame) {
        return 1 + patch * t + frame;
    };

    // v is the cls row of W_L ... W_l, propagated from the last layer down (only that row is needed).
    std::vector<double> v(static_cast<size_t>(tokens), 0.0);
    v[0] = 1.0;
    for (auto it = layers.rbegin(); it != layers.rend(); ++it) {
        const LayerMaps& entry = it->second;
        std::vector<double> next(static_cast<size_t>(tokens), 0.0);
        if (entry.joint) {
            if (Status ok = checkMap(*entry.joint, view, 1, tokens); !ok.ok())
                return ok.error();
            const auto heads = static_cast<int>(entry.joint->probabilities.shape[1]);
            const std::vector<double> w = rolloutFactor(mapAt(*entry.joint, view, 0), heads, tokens, options);
            for (int64_t i = 0; i < tokens; ++i)
                if (v[i] != 0.0)
                    for (int64_t j = 0; j < tokens; ++j)
                        next[j] += v[i] * w[i * tokens + j];
        } else if (entry.space) {
            if (Status ok = checkMap(*entry.space, view * t, t, 1 + n); !ok.ok())
                return ok.error();
            if (entry.time)
                if (Status ok = checkMap(*entry.time, view * n, n, t); !ok.ok())
                    return ok.error();
            const auto spaceHeads = static_cast<int>(entry.space->probabilities.shape[1]);
            // afterSpace[f][k]: weight reaching token k (0 = cls) of frame f through the spatial step.
            std::vector<double> afterSpace(static_cast<size_t>(t * (1 + n)), 0.0);
            for (int64_t f = 0; f < t; ++f) {
                const std::vector<double> s =
                    rolloutFactor(mapAt(*entry.space, view * t + f, 0), spaceHeads, 1 + n, options);
                double* row = afterSpace.data() + f * (1 + n);
                const double clsWeight = v[0] / static_cast<double>(t);
                for (int64_t p = -1; p < n; ++p) {
                    const double weight = p < 0 ? clsWeight : v[token(p, f)];
                    if (weight == 0.0)
                        continue;
                    const double* sRow = s.data() + (p + 1) * (1 + n);
                    for (int64_t k = 0; k <= n; ++k)
                        row[k] += weight * sRow[k];
                }
            }
            for (int64_t f = 0; f < t; ++f)
                next[0] += afterSpace[f * (1 + n)];
            for (int64_t k = 0; k < n; ++k) {
                if (!entry.time) {
                    for (int64_t f = 0; f < t; ++f)
                        next[token(k, f)] += afterSpace[f * (1 + n) + 1 + k];
                    continue;
                }
                const auto timeHeads = static_cast<int>(entry.time->probabilities.shape[1]);
                const std::vector<double> tk =
                    rolloutFactor(mapAt(*entry.time, view * n + k, 0), timeHeads, t, options);
                for (int64_t f = 0; f < t; ++f) {
                    const double weight = afterSpace[f * (1 + n) + 1 + k];
                    for (int64_t q = 0; q < t; ++q)
                        next[token(k, q)] += weight * tk[f * t + q];
                }
            }
        } else {
            return Error::unsupported(
                QString(),
                QStringLiteral("rollout needs spatial or joint attention in layer %1").arg(it->first));
        }
        v.swap(next);
    }
    FloatArray result;
    result.shape = {t, gridHeight, gridWidth};
    result.values.resize(static_cast<size_t>(t * n));
    for (int64_t f = 0; f < t; ++f)
        for (int64_t p = 0; p < n; ++p)
            result.values[static_cast<size_t>(f * n + p)] = static_cast<float>(v[token(p, f)]);
    return result;
}

Result<std::vector<float>> AttentionAnalysis::selectSpatial(const FloatArray& spatial, int layer,
                                                            const HeadSelection& heads, int frame) {
    const std::vector<int64_t>& s = spatial.shape;
    if (s.size() != 5)
        return Error::invalidArgument(
            QStringLiteral("spatial maps have shape %1").arg(spatial.shapeString()));
    if (layer < 0 || layer >= s[0] || frame < 0 || frame >= s[2] || heads.head >= s[1])
        return Error::invalidArgument(QStringLiteral("layer %1, head %2, frame %3 outside %4")
                                          .arg(layer)
                                          .arg(heads.head)
                                          .arg(frame)
                                          .arg(spatial.shapeString()));
    const int64_t count = s[3] * s[4];
    auto headMap = [&](int64_t head) {
        return spatial.values.data() + ((layer * s[1] + head) * s[2] + frame) * count;
    };
    if (heads.head >= 0)
        return std::vector<float>(headMap(heads.head), headMap(heads.head) + count);
    // Heads are not contiguous for a fixed frame: gather them first.
    std::vector<float> gathered;
    gathered.reserve(static_cast<size_t>(s[1] * count));
    for (int64_t a = 0; a < s[1]; ++a)
        gathered.insert(gathered.end(), headMap(a), headMap(a) + count);
    const std::vector<double> fused = fuseHeads(gathered.data(), static_cast<int>(s[1]), count, heads.fusion);
    return std::vector<float>(fused.begin(), fused.end());
}

Result<std::vector<float>> AttentionAnalysis::selectRollout(const FloatArray& rollout, int frame) {
    if (rollout.shape.size() != 3 || frame < 0 || frame >= rollout.shape[0])
        return Error::invalidArgument(
            QStringLiteral("frame %1 outside rollout %2").arg(frame).arg(rollout.shapeString()));
    const int64_t count = rollout.shape[1] * rollout.shape[2];
    const float* first = rollout.values.data() + frame * count;
    return std::vector<float>(first, first + count);
}

Result<std::vector<float>> AttentionAnalysis::selectPatchRow(const FloatArray& fullSpatial, int layer,
                                                             const HeadSelection& heads, int frame,
                                                             int patch) {
    const std::vector<int64_t>& s = fullSpatial.shape;
    if (s.size() != 5 || s[3] != s[4] || s[3] < 2 ||
        static_cast<int64_t>(fullSpatial.values.size()) != fullSpatial.elementCount())
        return Error::invalidArgument(
            QStringLiteral("full spatial maps have shape %1").arg(fullSpatial.shapeString()));
    const int64_t patches = s[3] - 1;
    if (layer < 0 || layer >= s[0] || frame < 0 || frame >= s[1] || heads.head >= s[2] || patch < 0 ||
        patch >= patches)
        return Error::invalidArgument(QStringLiteral("layer %1, frame %2, head %3, patch %4 outside %5")
                                          .arg(layer)
                                          .arg(frame)
                                          .arg(heads.head)
                                          .arg(patch)
                                          .arg(fullSpatial.shapeString()));
    auto row = [&](int64_t head) {
        // Query token 1 + patch; its keys 1..N are the frame's patches.
        return fullSpatial.values.data() +
               (((layer * s[1] + frame) * s[2] + head) * s[3] + 1 + patch) * s[4] + 1;
    };
    if (heads.head >= 0)
        return std::vector<float>(row(heads.head), row(heads.head) + patches);
    std::vector<float> gathered;
    gathered.reserve(static_cast<size_t>(s[2] * patches));
    for (int64_t a = 0; a < s[2]; ++a)
        gathered.insert(gathered.end(), row(a), row(a) + patches);
    const std::vector<double> fused =
        fuseHeads(gathered.data(), static_cast<int>(s[2]), patches, heads.fusion);
    return std::vector<float>(fused.begin(), fused.end());
}

Result<std::vector<float>> AttentionAnalysis::selectTemporal(const FloatArray& temporal, int layer,
                                                             const HeadSelection& heads, int patch) {
    const std::vector<int64_t>& s = temporal.shape;
    if (s.size() != 5 || s[3] != s[4] ||
        static_cast<int64_t>(temporal.values.size()) != temporal.elementCount())
        return Error::invalidArgument(
            QStringLiteral("temporal maps have shape %1").arg(temporal.shapeString()));
    if (layer < 0 || layer >= s[0] || heads.head >= s[1] || patch < 0 || patch >= s[2])
        return Error::invalidArgument(QStringLiteral("layer %1, head %2, patch %3 outside %4")
                                          .arg(layer)
                                          .arg(heads.head)
                                          .arg(patch)
                                          .arg(temporal.shapeString()));
    const int64_t count = s[3] * s[4];
    auto map = [&](int64_t head) {
        return temporal.values.data() + ((layer * s[1] + head) * s[2] + patch) * count;
    };
    if (heads.head >= 0)
        return std::vector<float>(map(heads.head), map(heads.head) + count);
    std::vector<float> gathered;
    gathered.reserve(static_cast<size_t>(s[1] * count));
    for (int64_t a = 0; a < s[1]; ++a)
        gathered.insert(gathered.end(), map(a), map(a) + count);
    const std::vector<double> fused = fuseHeads(gathered.data(), static_cast<int>(s[1]), count, heads.fusion);
    return std::vector<float>(fused.begin(), fused.end());
}

Result<FloatArray> AttentionAnalysis::rolloutFromSummaries(const FloatArray& fullSpatial,
                                                           const FloatArray& temporal, int gridHeight,
                                                           int gridWidth, const RolloutOptions& options) {
    const std::vector<int64_t>& s = fullSpatial.shape;
    if (s.size() != 5 || static_cast<int64_t>(fullSpatial.values.size()) != fullSpatial.elementCount())
        return Error::invalidArgument(
            QStringLiteral("full spatial maps have shape %1").arg(fullSpatial.shapeString()));
    const int64_t layers = s[0];
    const int64_t frames = s[1];
    const int64_t patches = int64_t(gridHeight) * gridWidth;
    const bool hasTime = !temporal.shape.empty();
    if (hasTime &&
        (temporal.shape.size() != 5 || temporal.shape[0] != layers || temporal.shape[2] != patches ||
         temporal.shape[3] != frames || temporal.shape[4] != frames))
        return Error::invalidArgument(QStringLiteral("temporal maps %1 do not match spatial maps %2")
                                          .arg(temporal.shapeString(), fullSpatial.shapeString()));
    // Back to the captured layouts: space (T, A, 1+N, 1+N) per layer, time (N, A, T, T) per layer.
    std::vector<AttentionMap> maps;
    const int64_t spaceCount = frames * s[2] * s[3] * s[4];
    for (int64_t l = 0; l < layers; ++l) {
        AttentionMap space;
        space.kind = QStringLiteral("space");
        space.layer = static_cast<int>(l);
        space.probabilities.shape = {frames, s[2], s[3], s[4]};
        const float* first = fullSpatial.values.data() + l * spaceCount;
        space.probabilities.values.assign(first, first + spaceCount);
        maps.push_back(std::move(space));
        if (!hasTime)
            continue;
        const int64_t heads = temporal.shape[1];
        const int64_t block = frames * frames;
        AttentionMap time;
        time.kind = QStringLiteral("time");
        time.layer = static_cast<int>(l);
        time.probabilities.shape = {patches, heads, frames, frames};
        time.probabilities.values.resize(static_cast<size_t>(patches * heads * block));
        for (int64_t a = 0; a < heads; ++a)
            for (int64_t p = 0; p < patches; ++p) {
                const float* from = temporal.values.data() + ((l * heads + a) * patches + p) * block;
                std::copy(from, from + block, time.probabilities.values.begin() + (p * heads + a) * block);
            }
        maps.push_back(std::move(time));
    }
    return rollout(maps, 0, static_cast<int>(frames), gridHeight, gridWidth, options);
}

double AttentionAnalysis::entropyBits(const std::vector<float>& map) {
    double total = 0.0;
    for (float value : map)
        if (std::isfinite(value) && value > 0.0f)
            total += value;
    if (total <= 0.0)
        return 0.0;
    double entropy = 0.0;
    for (float value : map) {
        if (!std::isfinite(value) || value <= 0.0f)
            continue;
        const double p = value / total;
        entropy -= p * std::log2(p);
    }
    return entropy;
}

double AttentionAnalysis::massRatioInBox(const FloatArray& map, int frame, const QRectF& box,
                                         const QSizeF& frameSize) {
    if (map.shape.size() != 3 || frame < 0 || frame >= map.shape[0] || frameSize.isEmpty() ||
        static_cast<int64_t>(map.values.size()) != map.elementCount())
        return -1.0;
    const QRectF inside = box.intersected(QRectF(QPointF(0, 0), frameSize));
    if (inside.isEmpty())
        return -1.0;
    const int64_t rows = map.shape[1];
    const int64_t columns = map.shape[2];
    const double cellWidth = frameSize.width() / static_cast<double>(columns);
    const double cellHeight = frameSize.height() / static_cast<double>(rows);
    const float* values = map.values.data() + frame * rows * columns;
    double total = 0.0;
    double inBox = 0.0;
    for (int64_t r = 0; r < rows; ++r) {
        for (int64_t c = 0; c < columns; ++c) {
            const double mass = values[r * columns + c];
            total += mass;
            const QRectF overlap =
                QRectF(c * cellWidth, r * cellHeight, cellWidth, cellHeight).intersected(inside);
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
