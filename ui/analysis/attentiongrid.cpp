#include "ui/analysis/attentiongrid.h"

#include "ui/analysis/attentionexplorer.h"

#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace saccade {

namespace {

constexpr int kLabelWidth = 34;
constexpr int kHeaderHeight = 18;
constexpr int kGap = 2;
constexpr int kMinCell = 14;
constexpr int kMaxCell = 72;

} // namespace

AttentionGrid::AttentionGrid(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

QSize AttentionGrid::sizeHint() const {
    const int columns = std::max(1, m_heads + 1);
    const int rows = std::max(1, m_layers);
    const int side = 30;
    return {kLabelWidth + columns * (side + kGap),
            kHeaderHeight + rows * (side + kGap) + fontMetrics().height() + 8};
}

QSize AttentionGrid::minimumSizeHint() const {
    const int columns = std::max(1, m_heads + 1);
    const int rows = std::max(1, m_layers);
    return {kLabelWidth + columns * (kMinCell + kGap),
            kHeaderHeight + rows * (kMinCell + kGap) + fontMetrics().height() + 8};
}

void AttentionGrid::setMaps(const FloatArray& spatial, int sample, HeadFusion fusion, Colormap colormap) {
    const std::vector<int64_t>& s = spatial.shape;
    if (s.size() != 5 || sample < 0 || sample >= s[2]) {
        clear();
        return;
    }
    const bool shapeChanged = m_layers != s[0] || m_heads != s[1];
    m_layers = static_cast<int>(s[0]);
    m_heads = static_cast<int>(s[1]);
    m_rows = static_cast<int>(s[3]);
    m_columns = static_cast<int>(s[4]);
    m_fusion = fusion;
    m_colormap = colormap;
    const int columns = m_heads + 1;
    m_maps.assign(size_t(m_layers * columns), {});
    m_stats.assign(m_maps.size(), {});
    for (int layer = 0; layer < m_layers; ++layer) {
        for (int column = 0; column < columns; ++column) {
            const HeadSelection heads{column < m_heads ? column : -1, fusion};
            Result<std::vector<float>> map = AttentionAnalysis::selectSpatial(spatial, layer, heads, sample);
            if (!map.ok())
                continue;
            const size_t index = size_t(layer * columns + column);
            m_maps[index] = std::move(map).value();
            const std::vector<float>& values = m_maps[index];
            CellStats& stats = m_stats[index];
            stats.entropyBits = AttentionAnalysis::entropyBits(values);
            const auto peak = std::max_element(values.begin(), values.end());
            stats.peak = peak == values.end() ? 0.0f : *peak;
            stats.peakPatch = peak == values.end() ? -1 : int(peak - values.begin());
        }
    }
    if (shapeChanged)
        updateGeometry();
    renderCells();
    if (m_hover.x() >= 0)
        m_hoverText = describe(m_hover.y(), m_hover.x());
    update();
}

void AttentionGrid::clear() {
    m_layers = 0;
    m_heads = 0;
    m_maps.clear();
    m_stats.clear();
    m_cells = QImage();
    m_hover = {-1, -1};
    m_hoverText.clear();
    update();
}

void AttentionGrid::setSelection(int layer, int head, bool visible) {
    m_selectedLayer = layer;
    m_selectedHead = head;
    m_selectionVisible = visible;
    update();
}

AttentionGrid::CellStats AttentionGrid::stats(int layer, int column) const {
    const size_t index = size_t(layer * (m_heads + 1) + column);
    if (layer < 0 || layer >= m_layers || column < 0 || column > m_heads || index >= m_stats.size())
        return {};
    return m_stats[index];
}

std::vector<float> AttentionGrid::cellMap(int layer, int column) const {
    const size_t index = size_t(layer * (m_heads + 1) + column);
    if (layer < 0 || layer >= m_layers || column < 0 || column > m_heads || index >= m_maps.size())
        return {};
    return m_maps[index];
}

int AttentionGrid::cellSide() const {
    if (m_layers <= 0)
        return kMinCell;
    const int footer = fontMetrics().height() + 8;
    const int byWidth = (width() - kLabelWidth) / (m_heads + 1) - kGap;
    const int byHeight = (height() - kHeaderHeight - footer) / m_layers - kGap;
    return std::clamp(std::min(byWidth, byHeight), kMinCell, kMaxCell);
}

QRect AttentionGrid::cellRect(int layer, int column) const {
    const int side = cellSide();
    // The fused column sits a little apart from the heads.
    const int extra = column == m_heads ? 4 : 0;
    return {kLabelWidth + column * (side + kGap) + extra, kHeaderHeight + layer * (side + kGap), side, side};
}

QPoint AttentionGrid::cellAt(const QPoint& position) const {
    for (int layer = 0; layer < m_layers; ++layer) {
        const QRect row = cellRect(layer, 0);
        if (position.y() < row.top() || position.y() > row.bottom())
            continue;
        for (int column = 0; column <= m_heads; ++column)
            if (cellRect(layer, column).contains(position))
                return {column, layer};
    }
    return {-1, -1};
}

void AttentionGrid::renderCells() {
    if (m_layers <= 0) {
        m_cells = QImage();
        return;
    }
    const qreal ratio = devicePixelRatioF();
    m_cells = QImage((QSizeF(size()) * ratio).toSize(), QImage::Format_ARGB32_Premultiplied);
    m_cells.setDevicePixelRatio(ratio);
    m_cells.fill(Qt::transparent);
    const std::array<QRgb, 256> table = OverlayRenderer::lookupTable(m_colormap, 1.0);
    const int side = std::max(1, int(std::lround(cellSide() * ratio)));
    QPainter painter(&m_cells);
    for (int layer = 0; layer < m_layers; ++layer) {
        for (int column = 0; column <= m_heads; ++column) {
            const std::vector<float>& map = m_maps[size_t(layer * (m_heads + 1) + column)];
            if (map.empty())
                continue;
            const auto [low, high] = OverlayRenderer::valueRange(map);
            const QImage cell =
                OverlayRenderer::renderMap(map, m_rows, m_columns, QSize(side, side), table, low, high);
            painter.drawImage(cellRect(layer, column), cell);
        }
    }
}

void AttentionGrid::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Base));
    if (m_layers <= 0) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
                         tr("The attention of every layer and head appears here once a window is analysed."));
        return;
    }
    painter.drawImage(QPointF(0, 0), m_cells);
    QFont small = font();
    small.setPointSizeF(std::max(6.0, small.pointSizeF() * 0.85));
    painter.setFont(small);
    painter.setPen(palette().color(QPalette::WindowText));
    // Header: head numbers, then the fused column; rows: layer numbers.
    const int labelStep = cellSide() < 20 ? 2 : 1;
    for (int column = 0; column <= m_heads; ++column) {
        const QRect cell = cellRect(0, column);
        const bool fused = column == m_heads;
        if (!fused && column % labelStep != 0)
            continue;
        const QString text = fused ? headFusionName(m_fusion) : QString::number(column + 1);
        painter.drawText(QRect(cell.left() - 8, 0, cell.width() + 16, kHeaderHeight - 2),
                         Qt::AlignHCenter | Qt::AlignBottom, text);
    }
    for (int layer = 0; layer < m_layers; ++layer) {
        if (layer % labelStep != 0 && layer != m_layers - 1)
            continue;
        const QRect cell = cellRect(layer, 0);
        painter.drawText(QRect(0, cell.top(), kLabelWidth - 4, cell.height()),
                         Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("L%1").arg(layer + 1));
    }
    // The shown layer and head.
    const int selectedLayer = m_selectedLayer < 0 ? m_layers - 1 : std::min(m_selectedLayer, m_layers - 1);
    const int selectedColumn = m_selectedHead < 0 ? m_heads : std::min(m_selectedHead, m_heads);
    painter.setBrush(Qt::NoBrush);
    if (m_selectionVisible) {
        painter.setPen(QPen(palette().color(QPalette::Highlight), 2.5));
        painter.drawRect(QRectF(cellRect(selectedLayer, selectedColumn)).adjusted(-1.5, -1.5, 1.5, 1.5));
    }
    if (m_hover.x() >= 0) {
        painter.setPen(QPen(palette().color(QPalette::WindowText), 1.0));
        painter.drawRect(QRectF(cellRect(m_hover.y(), m_hover.x())).adjusted(-1, -1, 0.5, 0.5));
    }
    painter.setFont(font());
    painter.setPen(palette().color(m_hoverText.isEmpty() ? QPalette::PlaceholderText : QPalette::WindowText));
    const QRect last = cellRect(m_layers - 1, 0);
    const QRect footer(4, last.bottom() + 6, width() - 8, fontMetrics().height() + 2);
    painter.drawText(footer, Qt::AlignLeft | Qt::AlignVCenter,
                     fontMetrics().elidedText(
                         m_hoverText.isEmpty() ? tr("Click a map to show it; hover for its entropy and peak.")
                                               : m_hoverText,
                         Qt::ElideRight, footer.width()));
}

QString AttentionGrid::describe(int layer, int column) const {
    if (layer < 0 || column < 0)
        return {};
    const CellStats cell = stats(layer, column);
    const QString who =
        column == m_heads ? tr("%1 of heads").arg(headFusionName(m_fusion)) : tr("head %1").arg(column + 1);
    const double maximum = std::log2(std::max(1, m_rows * m_columns));
    return tr("Layer %1 \u00b7 %2: entropy %3 of %4 bits, peak %5 at row %6, column %7")
        .arg(layer + 1)
        .arg(who)
        .arg(cell.entropyBits, 0, 'f', 2)
        .arg(maximum, 0, 'f', 2)
        .arg(cell.peak, 0, 'g', 3)
        .arg(cell.peakPatch / std::max(1, m_columns) + 1)
        .arg(cell.peakPatch % std::max(1, m_columns) + 1);
}

void AttentionGrid::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    renderCells();
}

void AttentionGrid::mouseMoveEvent(QMouseEvent* event) {
    const QPoint cell = cellAt(event->position().toPoint());
    if (cell == m_hover)
        return;
    m_hover = cell;
    m_hoverText = describe(cell.y(), cell.x());
    setToolTip(m_hoverText);
    update();
}

void AttentionGrid::mousePressEvent(QMouseEvent* event) {
    const QPoint cell = cellAt(event->position().toPoint());
    if (event->button() != Qt::LeftButton || cell.x() < 0)
        return;
    Q_EMIT cellClicked(cell.y(), cell.x() == m_heads ? -1 : cell.x());
}

void AttentionGrid::leaveEvent(QEvent*) {
    m_hover = {-1, -1};
    m_hoverText.clear();
    update();
}

} // namespace saccade
