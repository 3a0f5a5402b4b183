#include "ui/analysis/explorerbinding.h"

#include "ui/analysis/attentionexplorer.h"
#include "ui/analysis/attentiongrid.h"
#include "ui/analysis/attentionpanel.h"
#include "ui/analysis/patchattentionpanel.h"
#include "ui/settings/appsettings.h"
#include "ui/timeline/thumbnailloader.h"
#include "ui/video/videoview.h"

namespace saccade {

namespace {

constexpr QSize kThumbnailBounds(240, 240);

ExplorerChoices fromSettings(const OverlayChoices& stored) {
    ExplorerChoices choices;
    choices.layer = stored.layer;
    choices.head = stored.head;
    choices.fusion = parseHeadFusion(stored.fusion);
    choices.discardRatio = stored.discardRatio;
    choices.source = stored.rollout ? AttentionSource::Rollout : AttentionSource::Raw;
    choices.colormap = parseColormap(stored.colormap).value_or(Colormap::Viridis);
    return choices;
}

} // namespace

ExplorerBinding::ExplorerBinding(AttentionExplorer* explorer, const ExplorerWidgets& widgets,
                                 AppSettings* settings, QObject* parent)
    : QObject(parent), m_explorer(explorer), m_widgets(widgets), m_settings(settings) {
    m_thumbnails = new ThumbnailLoader(this);
    if (m_settings)
        m_explorer->setChoices(fromSettings(m_settings->overlayChoices()));

    connect(m_explorer, &AttentionExplorer::mapChanged, this, [this] {
        showMap();
        showGrid();
    });
    connect(m_explorer, &AttentionExplorer::choicesChanged, this, [this] {
        if (m_widgets.panel)
            m_widgets.panel->setChoices(m_explorer->choices());
        showGridSelection();
        saveChoices();
    });
    connect(m_explorer, &AttentionExplorer::windowChanged, this, [this] {
        if (m_widgets.panel)
            m_widgets.panel->setModelShape(m_explorer->layers(), m_explorer->heads());
    });
    connect(m_explorer, &AttentionExplorer::patchChanged, this, &ExplorerBinding::showPatch);

    if (AttentionPanel* panel = m_widgets.panel) {
        panel->setChoices(m_explorer->choices());
        connect(panel, &AttentionPanel::layerRequested, m_explorer, &AttentionExplorer::setLayer);
        connect(panel, &AttentionPanel::headRequested, m_explorer, &AttentionExplorer::setHead);
        connect(panel, &AttentionPanel::fusionRequested, m_explorer, &AttentionExplorer::setFusion);
        connect(panel, &AttentionPanel::discardRatioRequested, m_explorer,
                &AttentionExplorer::setDiscardRatio);
        connect(panel, &AttentionPanel::sourceRequested, m_explorer, &AttentionExplorer::setSource);
        connect(panel, &AttentionPanel::colormapRequested, m_explorer, &AttentionExplorer::setColormap);
    }
    if (AttentionGrid* grid = m_widgets.grid) {
        showGridSelection();
        connect(grid, &AttentionGrid::cellClicked, m_explorer, [this](int layer, int head) {
            ExplorerChoices choices = m_explorer->choices();
            choices.layer = layer;
            choices.head = head;
            choices.source = AttentionSource::Raw;
            m_explorer->setChoices(choices);
        });
    }
    if (VideoView* video = m_widgets.video) {
        connect(video, &VideoView::framePointClicked, m_explorer, [this](QPointF point) {
            // Patches are picked only where the overlay is visible.
            if (m_widgets.video->isOverlayVisible() && !m_explorer->selectPatchAt(point))
                m_explorer->clearPatch();
        });
    }
    connect(m_thumbnails, &ThumbnailLoader::thumbnailReady, this, [this](qint64 frame, const QImage& image) {
        if (m_widgets.patch)
            m_widgets.patch->setThumbnail(frame, image);
    });
    showMap();
    showGrid();
    showPatch();
}

void ExplorerBinding::setVideoPath(const QString& path) {
    if (path == m_videoPath)
        return;
    m_videoPath = path;
    m_thumbnailsFor.clear();
    if (m_widgets.patch)
        m_widgets.patch->clearThumbnails();
}

void ExplorerBinding::showMap() {
    const DisplayedMap& map = m_explorer->map();
    if (VideoView* video = m_widgets.video) {
        if (map.isEmpty())
            video->setOverlay({}, {});
        else
            video->setOverlayMap(map.values, map.rows, map.columns,
                                 QRectF(m_explorer->window().attentionBox()), m_explorer->choices().colormap);
        video->setHudNote(m_explorer->sampleNote());
    }
    if (m_widgets.panel)
        m_widgets.panel->setMap(map);
}

void ExplorerBinding::showGrid() {
    AttentionGrid* grid = m_widgets.grid;
    if (!grid)
        return;
    const ExplorerChoices& choices = m_explorer->choices();
    if (!m_explorer->hasWindow() || m_explorer->currentSample() < 0) {
        m_gridKey.clear();
        grid->clear();
        return;
    }
    // Layer and head only move the selection; the maps change with the frame, fusion and colours.
    const QString key = QStringLiteral("%1/%2/%3/%4/%5")
                            .arg(m_explorer->window().generation)
                            .arg(m_explorer->window().windowIndex)
                            .arg(m_explorer->currentSample())
                            .arg(int(choices.fusion))
                            .arg(int(choices.colormap));
    if (key != m_gridKey) {
        m_gridKey = key;
        grid->setMaps(m_explorer->window().spatial, m_explorer->currentSample(), choices.fusion,
                      choices.colormap);
    }
    showGridSelection();
}

void ExplorerBinding::showGridSelection() {
    if (!m_widgets.grid)
        return;
    const ExplorerChoices& choices = m_explorer->choices();
    m_widgets.grid->setSelection(choices.layer, choices.head, choices.source == AttentionSource::Raw);
}

void ExplorerBinding::showPatch() {
    const PatchSelection& selection = m_explorer->patch();
    if (m_widgets.video)
        m_widgets.video->setHighlightedPatch(selection.isValid() ? m_explorer->patchRect(selection.patch)
                                                                 : QRectF());
    if (!m_widgets.patch)
        return;
    if (selection.isValid())
        requestThumbnails();
    m_widgets.patch->setPatch(m_explorer->patchAttention(), m_explorer->window().frames,
                              m_explorer->choices().colormap, m_explorer->fullSpatialStatus());
}

void ExplorerBinding::requestThumbnails() {
    if (m_videoPath.isEmpty() || !m_explorer->hasWindow())
        return;
    const std::vector<qint64>& frames = m_explorer->window().frames;
    const QString key = QStringLiteral("%1/%2").arg(m_videoPath).arg(frames.empty() ? -1 : frames.front());
    if (key == m_thumbnailsFor)
        return;
    m_thumbnailsFor = key;
    m_thumbnails->request(m_videoPath, QVector<qint64>(frames.begin(), frames.end()), kThumbnailBounds);
}

void ExplorerBinding::saveChoices() {
    if (!m_settings)
        return;
    const ExplorerChoices& choices = m_explorer->choices();
    OverlayChoices stored;
    stored.layer = choices.layer;
    stored.head = choices.head;
    stored.fusion = headFusionName(choices.fusion);
    stored.discardRatio = choices.discardRatio;
    stored.rollout = choices.source == AttentionSource::Rollout;
    stored.colormap = colormapName(choices.colormap);
    m_settings->setOverlayChoices(stored);
}

} // namespace saccade
