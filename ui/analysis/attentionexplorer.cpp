#include "ui/analysis/attentionexplorer.h"

#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>

namespace saccade {

namespace {

QString rolloutKey(const ExplorerChoices& choices) {
    return QStringLiteral("%1/%2").arg(headFusionName(choices.fusion)).arg(choices.discardRatio, 0, 'f', 3);
}

} // namespace

QString headFusionName(HeadFusion fusion) {
    switch (fusion) {
    case HeadFusion::Mean:
        return QStringLiteral("mean");
    case HeadFusion::Max:
        return QStringLiteral("max");
    case HeadFusion::Min:
        return QStringLiteral("min");
    }
    return QStringLiteral("mean");
}

HeadFusion parseHeadFusion(const QString& name) {
    if (name == QLatin1String("max"))
        return HeadFusion::Max;
    if (name == QLatin1String("min"))
        return HeadFusion::Min;
    return HeadFusion::Mean;
}

bool ExplorerChoices::operator==(const ExplorerChoices& other) const {
    return layer == other.layer && head == other.head && fusion == other.fusion &&
           discardRatio == other.discardRatio && source == other.source && colormap == other.colormap;
}

AttentionExplorer::AttentionExplorer(QObject* parent) : QObject(parent) {
    m_rolloutWatcher = new QFutureWatcher<RolloutOutcome>(this);
    connect(m_rolloutWatcher, &QFutureWatcher<RolloutOutcome>::finished, this,
            &AttentionExplorer::onRolloutDone);
}

AttentionExplorer::~AttentionExplorer() {
    m_rolloutWatcher->waitForFinished();
}

void AttentionExplorer::setModelShape(int layers, int heads) {
    m_layers = std::max(0, layers);
    m_heads = std::max(0, heads);
}

int AttentionExplorer::layers() const {
    if (m_hasWindow && m_window.spatial.shape.size() == 5)
        return static_cast<int>(m_window.spatial.shape[0]);
    return m_layers;
}

int AttentionExplorer::heads() const {
    if (m_hasWindow && m_window.spatial.shape.size() == 5)
        return static_cast<int>(m_window.spatial.shape[1]);
    return m_heads;
}

void AttentionExplorer::setWindow(const WindowResult& result) {
    const bool sameWindow =
        m_hasWindow && result.windowIndex == m_window.windowIndex && result.generation == m_window.generation;
    m_window = result;
    m_hasWindow = true;
    if (!sameWindow) {
        m_fullSpatial.reset();
        m_fullRequestedWindow = -1;
        m_fullStatus.clear();
        m_fullFailed = false;
        m_rollout = {};
        m_rolloutKey.clear();
        m_patch = {};
    }
    m_sample = nearestSample(m_window.frames, m_playhead);
    Q_EMIT windowChanged();
    if (!sameWindow)
        Q_EMIT patchChanged();
    requestFullSpatialIfNeeded();
    updateMap();
}

void AttentionExplorer::clearWindow() {
    m_window = {};
    m_hasWindow = false;
    m_sample = -1;
    m_fullSpatial.reset();
    m_fullRequestedWindow = -1;
    m_fullStatus.clear();
    m_fullFailed = false;
    m_rollout = {};
    m_rolloutKey.clear();
    m_patch = {};
    Q_EMIT windowChanged();
    Q_EMIT patchChanged();
    updateMap();
}

int AttentionExplorer::nearestSample(const std::vector<qint64>& frames, qint64 frame) {
    if (frames.empty())
        return -1;
    int nearest = 0;
    for (int i = 1; i < static_cast<int>(frames.size()); ++i)
        if (std::abs(frames[size_t(i)] - frame) < std::abs(frames[size_t(nearest)] - frame))
            nearest = i;
    return nearest;
}

void AttentionExplorer::setPlayhead(qint64 frame) {
    m_playhead = frame;
    const int sample = m_hasWindow ? nearestSample(m_window.frames, frame) : -1;
    if (sample == m_sample)
        return;
    m_sample = sample;
    // The selected patch follows the playhead to the sampled frame on screen.
    if (m_patch.isValid() && sample >= 0) {
        m_patch.sample = sample;
        Q_EMIT patchChanged();
    }
    updateMap();
}

QString AttentionExplorer::sampleNote() const {
    if (m_map.isEmpty() || m_map.sampledFrame < 0)
        return {};
    if (m_map.sampledFrame == m_playhead)
        return tr("map of frame %1").arg(m_map.sampledFrame);
    return tr("map of frame %1 (nearest sampled)").arg(m_map.sampledFrame);
}

void AttentionExplorer::setChoices(const ExplorerChoices& choices) {
    ExplorerChoices valid = choices;
    valid.layer = std::max(-1, valid.layer);
    valid.head = std::max(-1, valid.head);
    valid.discardRatio = std::isfinite(valid.discardRatio) ? std::clamp(valid.discardRatio, 0.0, 0.95) : 0.0;
    if (valid == m_choices)
        return;
    m_choices = valid;
    Q_EMIT choicesChanged();
    requestFullSpatialIfNeeded();
    updateMap();
    if (m_patch.isValid())
        Q_EMIT patchChanged();
}

void AttentionExplorer::setLayer(int layer) {
    setChoice(&ExplorerChoices::layer, layer);
}

void AttentionExplorer::setHead(int head) {
    setChoice(&ExplorerChoices::head, head);
}

void AttentionExplorer::setFusion(HeadFusion fusion) {
    setChoice(&ExplorerChoices::fusion, fusion);
}

void AttentionExplorer::setDiscardRatio(double ratio) {
    setChoice(&ExplorerChoices::discardRatio, ratio);
}

void AttentionExplorer::setSource(AttentionSource source) {
    setChoice(&ExplorerChoices::source, source);
}

void AttentionExplorer::setColormap(Colormap colormap) {
    setChoice(&ExplorerChoices::colormap, colormap);
}

void AttentionExplorer::stepLayer(int delta) {
    const int count = std::max(1, layers());
    // -1 ("last") sits at the last position of the cycle.
    const int position = m_choices.layer < 0 ? count - 1 : m_choices.layer;
    setLayer(((position + delta) % count + count) % count);
}

void AttentionExplorer::stepHead(int delta) {
    const int count = std::max(1, heads()) + 1; // heads, then "fused"
    const int position = m_choices.head < 0 ? count - 1 : m_choices.head;
    const int next = ((position + delta) % count + count) % count;
    setHead(next == count - 1 ? -1 : next);
}

int AttentionExplorer::effectiveLayer() const {
    const int count = layers();
    if (count <= 0)
        return -1;
    return m_choices.layer < 0 ? count - 1 : std::min(m_choices.layer, count - 1);
}

bool AttentionExplorer::rolloutNeedsOptions() const {
    return m_choices.source == AttentionSource::Rollout &&
           (m_choices.fusion != HeadFusion::Mean || m_choices.discardRatio > 0.0);
}

void AttentionExplorer::requestFullSpatialIfNeeded() {
    if (!m_hasWindow || hasFullSpatial() || m_fullRequestedWindow == m_window.windowIndex)
        return;
    if (!m_patch.isValid() && !rolloutNeedsOptions())
        return;
    m_fullRequestedWindow = m_window.windowIndex;
    m_fullStatus = tr("Computing the full attention of this window\u2026");
    Q_EMIT fullSpatialNeeded(m_window.windowIndex);
}

void AttentionExplorer::setFullSpatial(int windowIndex, const FloatArray& maps) {
    if (!m_hasWindow || windowIndex != m_window.windowIndex)
        return;
    m_fullSpatial = std::make_shared<const FloatArray>(maps);
    m_fullStatus.clear();
    if (m_patch.isValid())
        Q_EMIT patchChanged();
    updateMap();
}

void AttentionExplorer::setFullSpatialFailed(int windowIndex, const QString& reason) {
    if (!m_hasWindow || windowIndex != m_window.windowIndex)
        return;
    m_fullStatus = tr("The full attention of this window is not available: %1").arg(reason);
    m_fullFailed = true;
    Q_EMIT patchChanged();
    updateMap();
}

void AttentionExplorer::startRollout() {
    const QString key = rolloutKey(m_choices);
    if (m_rolloutWatcher->isRunning()) {
        // One at a time; onRolloutDone() starts the latest wish.
        return;
    }
    m_rolloutRunningKey = key;
    const std::shared_ptr<const FloatArray> full = m_fullSpatial;
    const FloatArray temporal = m_window.temporal;
    const int rows = static_cast<int>(m_window.rollout.shape.size() == 3 ? m_window.rollout.shape[1] : 0);
    const int columns = static_cast<int>(m_window.rollout.shape.size() == 3 ? m_window.rollout.shape[2] : 0);
    const RolloutOptions options{m_choices.fusion, m_choices.discardRatio};
    const int windowIndex = m_window.windowIndex;
    m_rolloutWatcher->setFuture(QtConcurrent::run([full, temporal, rows, columns, options, windowIndex, key] {
        RolloutOutcome outcome;
        outcome.windowIndex = windowIndex;
        outcome.key = key;
        Result<FloatArray> rollout =
            AttentionAnalysis::rolloutFromSummaries(*full, temporal, rows, columns, options);
        if (rollout.ok())
            outcome.rollout = std::move(rollout).value();
        else
            outcome.error = rollout.error().toString();
        return outcome;
    }));
}

void AttentionExplorer::onRolloutDone() {
    // waitForRollout() may have taken this result already.
    if (m_rolloutRunningKey.isEmpty())
        return;
    const RolloutOutcome outcome = m_rolloutWatcher->result();
    m_rolloutRunningKey.clear();
    if (m_hasWindow && outcome.windowIndex == m_window.windowIndex) {
        if (outcome.error.isEmpty()) {
            m_rollout = outcome.rollout;
            m_rolloutKey = outcome.key;
        } else {
            m_fullStatus = outcome.error;
            m_fullFailed = true;
        }
    }
    updateMap();
}

void AttentionExplorer::waitForRollout() {
    while (!m_rolloutRunningKey.isEmpty()) {
        m_rolloutWatcher->waitForFinished();
        onRolloutDone();
    }
}

void AttentionExplorer::updateMap() {
    DisplayedMap map;
    if (m_hasWindow && m_sample >= 0) {
        map.sample = m_sample;
        map.sampledFrame = m_window.frames[size_t(m_sample)];
        if (m_choices.source == AttentionSource::Rollout) {
            const FloatArray* rollout = &m_window.rollout;
            map.title = tr("Rollout \u00b7 %1 of heads").arg(headFusionName(m_choices.fusion));
            if (m_choices.discardRatio > 0.0)
                map.title += tr(" \u00b7 %1% discarded").arg(std::lround(m_choices.discardRatio * 100.0));
            if (rolloutNeedsOptions()) {
                const QString key = rolloutKey(m_choices);
                if (m_rolloutKey == key) {
                    rollout = &m_rollout;
                } else {
                    map.pending = !m_fullFailed;
                    if (hasFullSpatial())
                        startRollout();
                    if (!map.pending)
                        map.title += tr(" (unavailable, showing mean)");
                }
            }
            if (Result<std::vector<float>> values = AttentionAnalysis::selectRollout(*rollout, m_sample);
                values.ok() && rollout->shape.size() == 3) {
                map.values = std::move(values).value();
                map.rows = static_cast<int>(rollout->shape[1]);
                map.columns = static_cast<int>(rollout->shape[2]);
            }
        } else if (m_window.spatial.shape.size() == 5) {
            const int layer = effectiveLayer();
            const HeadSelection selection{std::min(m_choices.head, heads() - 1), m_choices.fusion};
            if (Result<std::vector<float>> values =
                    AttentionAnalysis::selectSpatial(m_window.spatial, layer, selection, m_sample);
                values.ok()) {
                map.values = std::move(values).value();
                map.rows = static_cast<int>(m_window.spatial.shape[3]);
                map.columns = static_cast<int>(m_window.spatial.shape[4]);
                if (m_choices.discardRatio > 0.0) {
                    std::vector<double> row(map.values.begin(), map.values.end());
                    AttentionAnalysis::discardLowest(row, 1, static_cast<int64_t>(row.size()),
                                                     m_choices.discardRatio);
                    std::copy(row.begin(), row.end(), map.values.begin());
                }
            }
            map.title =
                selection.head >= 0
                    ? tr("Layer %1 \u00b7 head %2").arg(layer + 1).arg(selection.head + 1)
                    : tr("Layer %1 \u00b7 %2 of heads").arg(layer + 1).arg(headFusionName(selection.fusion));
        }
        if (!map.values.empty()) {
            const auto [low, high] = OverlayRenderer::valueRange(map.values);
            map.low = low;
            map.high = high;
        }
    }
    m_map = std::move(map);
    Q_EMIT mapChanged();
}

bool AttentionExplorer::selectPatchAt(const QPointF& framePoint) {
    if (!m_hasWindow || m_sample < 0 || m_window.spatial.shape.size() != 5)
        return false;
    const QRectF box = m_window.attentionBox();
    if (box.isEmpty() || !box.contains(framePoint))
        return false;
    const int rows = static_cast<int>(m_window.spatial.shape[3]);
    const int columns = static_cast<int>(m_window.spatial.shape[4]);
    const int column = std::clamp(int((framePoint.x() - box.left()) / box.width() * columns), 0, columns - 1);
    const int row = std::clamp(int((framePoint.y() - box.top()) / box.height() * rows), 0, rows - 1);
    selectPatch({m_sample, row * columns + column});
    return true;
}

void AttentionExplorer::selectPatch(const PatchSelection& selection) {
    m_patch = selection;
    requestFullSpatialIfNeeded();
    Q_EMIT patchChanged();
}

void AttentionExplorer::clearPatch() {
    if (!m_patch.isValid())
        return;
    m_patch = {};
    Q_EMIT patchChanged();
}

QRectF AttentionExplorer::patchRect(int patch) const {
    if (!m_hasWindow || m_window.spatial.shape.size() != 5 || patch < 0)
        return {};
    const QRectF box = m_window.attentionBox();
    const int rows = static_cast<int>(m_window.spatial.shape[3]);
    const int columns = static_cast<int>(m_window.spatial.shape[4]);
    if (patch >= rows * columns || box.isEmpty())
        return {};
    const double width = box.width() / columns;
    const double height = box.height() / rows;
    return {box.left() + (patch % columns) * width, box.top() + (patch / columns) * height, width, height};
}

PatchAttention AttentionExplorer::patchAttention() const {
    PatchAttention result;
    result.selection = m_patch;
    if (!m_hasWindow || !m_patch.isValid() || m_window.spatial.shape.size() != 5)
        return result;
    result.rows = static_cast<int>(m_window.spatial.shape[3]);
    result.columns = static_cast<int>(m_window.spatial.shape[4]);
    result.frames = static_cast<int>(m_window.frames.size());
    result.cropBox = m_window.attentionBox();
    result.frameSize = m_window.frameSize;
    const int layer = effectiveLayer();
    const HeadSelection selection{std::min(m_choices.head, heads() - 1), m_choices.fusion};
    if (hasFullSpatial()) {
        if (Result<std::vector<float>> row = AttentionAnalysis::selectPatchRow(
                *m_fullSpatial, layer, selection, m_patch.sample, m_patch.patch);
            row.ok())
            result.spatialRow = std::move(row).value();
    }
    if (!m_window.temporal.shape.empty()) {
        if (Result<std::vector<float>> temporal =
                AttentionAnalysis::selectTemporal(m_window.temporal, layer, selection, m_patch.patch);
            temporal.ok())
            result.temporal = std::move(temporal).value();
        for (int head = 0; head < heads(); ++head)
            if (Result<std::vector<float>> single = AttentionAnalysis::selectTemporal(
                    m_window.temporal, layer, {head, HeadFusion::Mean}, m_patch.patch);
                single.ok())
                result.temporalPerHead.push_back(std::move(single).value());
    }
    const QString who = selection.head >= 0 ? tr("head %1").arg(selection.head + 1)
                                            : tr("%1 of heads").arg(headFusionName(selection.fusion));
    result.title = tr("Patch (row %1, column %2) of frame %3 \u00b7 layer %4 \u00b7 %5")
                       .arg(m_patch.patch / result.columns + 1)
                       .arg(m_patch.patch % result.columns + 1)
                       .arg(m_window.frames[size_t(m_patch.sample)])
                       .arg(layer + 1)
                       .arg(who);
    return result;
}

} // namespace saccade
