#pragma once

#include "ui/analysis/attentionexplorer.h"

#include <QHash>
#include <QImage>
#include <QWidget>

#include <vector>

class QCustomPlot;
class QCPBars;
class QCPColorMap;
class QCPColorScale;
class QCPGraph;
class QCPItemRect;
class QLabel;

namespace saccade {

/// What a clicked patch attends to: (a) its spatial attention row over its own frame, drawn over
/// that frame's thumbnail; (b) its temporal attention as a T x T heat map (query frame x attended
/// frame) and as bars over the sampled frames for the query frame on screen, with a dot per head and
/// the sampled frames' thumbnails on the axis (QCustomPlot). Dumb: setters only.
class PatchAttentionPanel : public QWidget {
    Q_OBJECT
public:
    explicit PatchAttentionPanel(QWidget* parent = nullptr);

    /// Shows `patch` of a window that sampled `frames`; `status` explains missing parts.
    void setPatch(const PatchAttention& patch, const std::vector<qint64>& frames, Colormap colormap,
                  const QString& status);
    /// A thumbnail of source frame `frame` (shown when it is one of the window's sampled frames).
    void setThumbnail(qint64 frame, const QImage& image);
    void clearThumbnails();

    /// What is plotted, for tests: the heat map (row-major, query x attended), the bars, the spatial
    /// row shown.
    std::vector<double> heatMapValues() const;
    std::vector<double> barValues() const;
    /// The per-head dots as (attended frame, value) pairs, by frame and then head.
    std::vector<std::pair<int, double>> headDots() const;
    const std::vector<float>& spatialRow() const { return m_patch.spatialRow; }
    QString statusText() const;
    QCustomPlot* heatMapPlot() const { return m_heatPlot; }
    QCustomPlot* barPlot() const { return m_barPlot; }
    /// The bar chart's frame-number labels by sample, empty where one is left out to avoid overlap.
    QStringList frameTickLabels() const;

private:
    void updateSpatialView();
    void updateTemporal();
    void updateThumbnails();
    void placeThumbnails();
    /// Labels every sample whose frame number fits beside its neighbours' at the chart's width.
    void updateFrameTicks();
    int frameLabelStride() const;

    PatchAttention m_patch;
    std::vector<qint64> m_frames;
    int m_frameLabelStride = 1;
    Colormap m_colormap = Colormap::Viridis;
    QHash<qint64, QImage> m_thumbnails;

    QLabel* m_title = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_spatialView = nullptr;
    QCustomPlot* m_heatPlot = nullptr;
    QCPColorMap* m_heatMap = nullptr;
    QCPColorScale* m_heatScale = nullptr;
    QCPItemRect* m_queryRow = nullptr;
    QCustomPlot* m_barPlot = nullptr;
    QCPBars* m_bars = nullptr;
    QCPBars* m_ownFrameBar = nullptr;
    QCPGraph* m_headDots = nullptr;
};

} // namespace saccade
