#pragma once

#include "core/inference/attentionanalysis.h"
#include "core/inference/overlayrenderer.h"

#include <QImage>
#include <QWidget>

#include <vector>

namespace saccade {

/// BertViz's model view for video: the spatial cls attention of every layer (rows) and head
/// (columns, plus a column of all heads fused) for one sampled frame, as small heat maps, each scaled
/// to its own range. A click selects a layer and head; hovering shows the map's entropy and peak.
/// Dumb: setters plus intent signals.
class AttentionGrid : public QWidget {
    Q_OBJECT
public:
    /// What one cell shows, for the hover text and tests.
    struct CellStats {
        double entropyBits = 0.0;
        float peak = 0.0f;
        int peakPatch = -1;
    };

    explicit AttentionGrid(QWidget* parent = nullptr);

    /// Shows sampled frame `sample` of spatial maps (L, A, T, Hp, Wp); the last column fuses the
    /// heads with `fusion`. Computes every cell's map and statistics and renders them.
    void setMaps(const FloatArray& spatial, int sample, HeadFusion fusion, Colormap colormap);
    void clear();
    /// Outlines the cell of `layer` and `head` (-1: the fused column); -1 layer: the last. Hidden
    /// selections (the overlay shows no single layer, as for the rollout) are not outlined.
    void setSelection(int layer, int head, bool visible = true);
    bool isSelectionVisible() const { return m_selectionVisible; }

    int layerCount() const { return m_layers; }
    int headCount() const { return m_heads; }
    /// Column `head` of row `layer`; column headCount() is the fused one.
    CellStats stats(int layer, int column) const;
    QRect cellRect(int layer, int column) const;
    /// The map of the cell (Hp * Wp values).
    std::vector<float> cellMap(int layer, int column) const;
    /// Text of the hovered cell (empty when none).
    QString hoverText() const { return m_hoverText; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    /// A cell was clicked: its layer, and its head or -1 for the fused column.
    void cellClicked(int layer, int head);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    int cellSide() const;
    QPoint cellAt(const QPoint& position) const;
    void renderCells();
    QString describe(int layer, int column) const;

    int m_layers = 0;
    int m_heads = 0;
    int m_rows = 0;
    int m_columns = 0;
    HeadFusion m_fusion = HeadFusion::Mean;
    Colormap m_colormap = Colormap::Viridis;
    /// Maps of every cell, row-major over (layer, column).
    std::vector<std::vector<float>> m_maps;
    std::vector<CellStats> m_stats;
    QImage m_cells;
    int m_selectedLayer = -1;
    int m_selectedHead = -1;
    bool m_selectionVisible = true;
    QPoint m_hover{-1, -1};
    QString m_hoverText;
};

} // namespace saccade
