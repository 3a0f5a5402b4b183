#include "ui/analysis/patchattentionpanel.h"

#include "ui/plots/qcustomplotheader.h"

#include <QFontMetrics>
#include <QGridLayout>
#include <QLabel>
#include <QPainter>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace saccade {

namespace {

constexpr int kSpatialSide = 200;
constexpr int kThumbHeight = 34;

QCPColorGradient gradientOf(Colormap colormap) {
    QCPColorGradient gradient;
    gradient.clearColorStops();
    for (int i = 0; i <= 16; ++i)
        gradient.setColorStopAt(i / 16.0, QColor(OverlayRenderer::colorAt(colormap, i / 16.0)));
    gradient.setColorInterpolation(QCPColorGradient::ciRGB);
    return gradient;
}

void stylePlot(QCustomPlot* plot, const QPalette& palette) {
    plot->setBackground(palette.color(QPalette::Base));
    const QColor text = palette.color(QPalette::WindowText);
    for (QCPAxis* axis : {plot->xAxis, plot->yAxis}) {
        axis->setBasePen(QPen(text));
        axis->setTickPen(QPen(text));
        axis->setSubTickPen(Qt::NoPen);
        axis->setTickLabelColor(text);
        axis->setLabelColor(text);
        axis->grid()->setPen(QPen(palette.color(QPalette::Mid), 0, Qt::DotLine));
    }
}

} // namespace

PatchAttentionPanel::PatchAttentionPanel(QWidget* parent) : QWidget(parent) {
    m_title = new QLabel(this);
    m_title->setWordWrap(true);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setForegroundRole(QPalette::PlaceholderText);
    m_spatialView = new QLabel(this);
    m_spatialView->setMinimumSize(kSpatialSide, kSpatialSide);
    m_spatialView->setAlignment(Qt::AlignCenter);
    m_spatialView->setToolTip(tr("Where the patch looks in its own frame (its spatial attention row)"));

    m_heatPlot = new QCustomPlot(this);
    m_heatPlot->setMinimumSize(220, 200);
    stylePlot(m_heatPlot, palette());
    m_heatMap = new QCPColorMap(m_heatPlot->xAxis, m_heatPlot->yAxis);
    m_heatMap->setInterpolate(false);
    m_heatScale = new QCPColorScale(m_heatPlot);
    m_heatPlot->plotLayout()->addElement(0, 1, m_heatScale);
    m_heatScale->setBarWidth(10);
    m_heatScale->axis()->setTickLabelColor(palette().color(QPalette::WindowText));
    m_heatScale->axis()->setBasePen(QPen(palette().color(QPalette::WindowText)));
    m_heatMap->setColorScale(m_heatScale);
    m_heatPlot->xAxis->setLabel(tr("attended frame"));
    m_heatPlot->yAxis->setLabel(tr("query frame"));
    m_heatPlot->yAxis->setRangeReversed(true);
    m_queryRow = new QCPItemRect(m_heatPlot);
    m_queryRow->setPen(QPen(Qt::white, 2));
    m_queryRow->setBrush(Qt::NoBrush);

    m_barPlot = new QCustomPlot(this);
    m_barPlot->setMinimumSize(260, 200);
    stylePlot(m_barPlot, palette());
    m_bars = new QCPBars(m_barPlot->xAxis, m_barPlot->yAxis);
    m_bars->setWidth(0.7);
    m_bars->setPen(Qt::NoPen);
    m_bars->setBrush(palette().color(QPalette::Highlight));
    m_ownFrameBar = new QCPBars(m_barPlot->xAxis, m_barPlot->yAxis);
    m_ownFrameBar->setWidth(0.7);
    m_ownFrameBar->setPen(Qt::NoPen);
    m_ownFrameBar->setBrush(palette().color(QPalette::Highlight).darker(150));
    m_ownFrameBar->setName(tr("own frame"));
    m_headDots = new QCPGraph(m_barPlot->xAxis, m_barPlot->yAxis);
    m_headDots->setLineStyle(QCPGraph::lsNone);
    QColor dot = palette().color(QPalette::WindowText);
    dot.setAlpha(150);
    m_headDots->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, dot, dot, 4));
    m_barPlot->yAxis->setLabel(tr("attention (dots: each head)"));
    m_barPlot->xAxis->setTickLabelPadding(kThumbHeight + 8);
    // After the layout, so the thumbnails sit under the axis where it is now.
    connect(m_barPlot, &QCustomPlot::afterLayout, this, &PatchAttentionPanel::placeThumbnails);

    auto* layout = new QGridLayout(this);
    layout->addWidget(m_title, 0, 0, 1, 3);
    layout->addWidget(m_status, 1, 0, 1, 3);
    auto* spatialHolder = new QVBoxLayout;
    auto* spatialCaption = new QLabel(tr("Where it looks in its frame"), this);
    spatialHolder->addWidget(spatialCaption);
    spatialHolder->addWidget(m_spatialView);
    spatialHolder->addStretch(1);
    layout->addLayout(spatialHolder, 2, 0);
    layout->addWidget(m_heatPlot, 2, 1);
    layout->addWidget(m_barPlot, 2, 2);
    layout->setColumnStretch(1, 2);
    layout->setColumnStretch(2, 3);
    layout->setRowStretch(2, 1);
    setPatch({}, {}, Colormap::Viridis, {});
}

void PatchAttentionPanel::setPatch(const PatchAttention& patch, const std::vector<qint64>& frames,
                                   Colormap colormap, const QString& status) {
    const bool framesChanged = frames != m_frames;
    m_patch = patch;
    m_frames = frames;
    m_colormap = colormap;
    if (!patch.selection.isValid()) {
        m_title->setText(tr("No patch selected"));
        m_status->setText(tr("Click a patch of the frame (with the overlay on) to see where it looks in its "
                             "frame and which sampled frames it attends to."));
    } else {
        m_title->setText(patch.title);
        QString text = status;
        if (patch.temporal.empty() && patch.frames > 0)
            text = (text.isEmpty() ? QString() : text + QLatin1Char(' ')) +
                   tr("This model has no temporal attention.");
        m_status->setText(text);
    }
    m_status->setVisible(!m_status->text().isEmpty());
    updateSpatialView();
    updateTemporal();
    if (framesChanged)
        updateThumbnails();
    m_heatPlot->replot();
    m_barPlot->replot();
}

void PatchAttentionPanel::setThumbnail(qint64 frame, const QImage& image) {
    m_thumbnails.insert(frame, image);
    if (std::find(m_frames.begin(), m_frames.end(), frame) == m_frames.end())
        return;
    if (m_patch.selection.isValid() && m_frames[size_t(m_patch.selection.sample)] == frame)
        updateSpatialView();
    updateThumbnails();
    m_barPlot->replot();
}

void PatchAttentionPanel::clearThumbnails() {
    m_thumbnails.clear();
    updateThumbnails();
}

void PatchAttentionPanel::updateSpatialView() {
    const PatchAttention& patch = m_patch;
    // The crop box's shape, fitted into the view's square.
    const QSize boxSize = patch.cropBox.isEmpty() ? QSize(1, 1) : patch.cropBox.size();
    const QSize size =
        boxSize.scaled(kSpatialSide, kSpatialSide, Qt::KeepAspectRatio).expandedTo(QSize(1, 1));
    QImage canvas(size, QImage::Format_RGB32);
    canvas.fill(palette().color(QPalette::Base));
    if (patch.selection.isValid() && patch.rows > 0) {
        QPainter painter(&canvas);
        const QRect area = canvas.rect();
        const qint64 frame = m_frames.empty() ? -1 : m_frames[size_t(patch.selection.sample)];
        const QImage thumbnail = m_thumbnails.value(frame);
        if (!thumbnail.isNull() && !patch.frameSize.isEmpty() && !patch.cropBox.isEmpty()) {
            // The part of the thumbnail the model saw: the crop box, scaled to the thumbnail.
            const double sx = double(thumbnail.width()) / patch.frameSize.width();
            const double sy = double(thumbnail.height()) / patch.frameSize.height();
            const QRectF source(patch.cropBox.left() * sx, patch.cropBox.top() * sy,
                                patch.cropBox.width() * sx, patch.cropBox.height() * sy);
            painter.setRenderHint(QPainter::SmoothPixmapTransform, true);
            painter.drawImage(QRectF(area), thumbnail, source);
        }
        if (!patch.spatialRow.empty()) {
            const auto [low, high] = OverlayRenderer::valueRange(patch.spatialRow);
            const double opacity = thumbnail.isNull() ? 1.0 : 0.65;
            painter.drawImage(area, OverlayRenderer::renderMap(
                                        patch.spatialRow, patch.rows, patch.columns, area.size(),
                                        OverlayRenderer::lookupTable(m_colormap, opacity), low, high));
        }
        const double cellWidth = double(area.width()) / patch.columns;
        const double cellHeight = double(area.height()) / patch.rows;
        const QRectF cell((patch.selection.patch % patch.columns) * cellWidth,
                          (patch.selection.patch / patch.columns) * cellHeight, cellWidth, cellHeight);
        painter.setPen(QPen(Qt::black, 3));
        painter.drawRect(cell);
        painter.setPen(QPen(Qt::white, 1.5));
        painter.drawRect(cell);
    }
    m_spatialView->setPixmap(QPixmap::fromImage(canvas));
}

void PatchAttentionPanel::updateTemporal() {
    const int frames = m_patch.frames;
    const bool hasTemporal = m_patch.selection.isValid() && frames > 0 &&
                             m_patch.temporal.size() == size_t(frames) * size_t(frames);
    m_heatMap->data()->setSize(hasTemporal ? frames : 0, hasTemporal ? frames : 0);
    m_bars->data()->clear();
    m_ownFrameBar->data()->clear();
    m_headDots->data()->clear();
    QSharedPointer<QCPAxisTickerText> heatTicker(new QCPAxisTickerText);
    for (int k = 0; k < int(m_frames.size()); ++k)
        heatTicker->addTick(k, QString::number(k + 1));
    updateFrameTicks();
    m_heatPlot->xAxis->setTicker(heatTicker);
    m_heatPlot->yAxis->setTicker(heatTicker);
    m_heatMap->setGradient(gradientOf(m_colormap));
    if (!hasTemporal) {
        m_queryRow->setVisible(false);
        m_heatScale->setVisible(false);
        return;
    }
    m_heatScale->setVisible(true);
    m_heatMap->data()->setRange(QCPRange(0, frames - 1), QCPRange(0, frames - 1));
    for (int query = 0; query < frames; ++query)
        for (int key = 0; key < frames; ++key)
            m_heatMap->data()->setCell(key, query, m_patch.temporal[size_t(query * frames + key)]);
    // Scaled to its own range, as the overlay is; the colour scale tells the values.
    const auto [low, high] = OverlayRenderer::valueRange(m_patch.temporal);
    m_heatMap->setDataRange(QCPRange(low, high > low ? high : low + 1e-6));
    m_heatPlot->xAxis->setRange(-0.5, frames - 0.5);
    m_heatPlot->yAxis->setRange(-0.5, frames - 0.5);
    const int query = m_patch.selection.sample;
    m_queryRow->setVisible(true);
    m_queryRow->topLeft->setCoords(-0.5, query - 0.5);
    m_queryRow->bottomRight->setCoords(frames - 0.5, query + 0.5);

    double barHigh = 0.0;
    for (int key = 0; key < frames; ++key) {
        const double value = m_patch.temporal[size_t(query * frames + key)];
        (key == query ? m_ownFrameBar : m_bars)->addData(key, value);
        barHigh = std::max(barHigh, value);
    }
    // Each head's attention from the same query frame, spread across the bar's width.
    const int heads = static_cast<int>(m_patch.temporalPerHead.size());
    for (int head = 0; head < heads; ++head) {
        const std::vector<float>& map = m_patch.temporalPerHead[size_t(head)];
        if (map.size() != m_patch.temporal.size())
            continue;
        const double offset = heads > 1 ? -0.28 + 0.56 * head / (heads - 1) : 0.0;
        for (int key = 0; key < frames; ++key) {
            const double value = map[size_t(query * frames + key)];
            m_headDots->addData(key + offset, value);
            barHigh = std::max(barHigh, value);
        }
    }
    m_barPlot->xAxis->setRange(-0.6, frames - 0.4);
    m_barPlot->yAxis->setRange(0.0, std::max(barHigh * 1.1, 1e-6));
    m_barPlot->xAxis->setLabel(tr("attended frame (dark: its own)"));
}

void PatchAttentionPanel::updateThumbnails() {
    // Items are rebuilt: a window has at most a few dozen sampled frames.
    for (int index = m_barPlot->itemCount() - 1; index >= 0; --index)
        if (qobject_cast<QCPItemPixmap*>(m_barPlot->item(index)))
            m_barPlot->removeItem(index);
    for (int k = 0; k < int(m_frames.size()); ++k) {
        const QImage image = m_thumbnails.value(m_frames[size_t(k)]);
        if (image.isNull())
            continue;
        auto* item = new QCPItemPixmap(m_barPlot);
        item->setClipToAxisRect(false);
        item->setPixmap(QPixmap::fromImage(image.scaledToHeight(kThumbHeight, Qt::SmoothTransformation)));
        item->setProperty("sample", k);
        item->topLeft->setTypeX(QCPItemPosition::ptPlotCoords);
        item->topLeft->setTypeY(QCPItemPosition::ptAbsolute);
    }
    placeThumbnails();
}

int PatchAttentionPanel::frameLabelStride() const {
    const int samples = static_cast<int>(m_frames.size());
    const int axisWidth = m_barPlot->axisRect()->width();
    if (samples <= 1 || axisWidth <= 0)
        return 1;
    const QFontMetrics metrics(m_barPlot->xAxis->tickLabelFont());
    int widest = 0;
    for (qint64 frame : m_frames)
        widest = std::max(widest, metrics.horizontalAdvance(QString::number(frame)));
    const double perSample = static_cast<double>(axisWidth) / samples;
    const double needed = widest + metrics.averageCharWidth(); // a space between neighbours
    return std::clamp(static_cast<int>(std::ceil(needed / perSample)), 1, samples);
}

void PatchAttentionPanel::updateFrameTicks() {
    m_frameLabelStride = frameLabelStride();
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (int k = 0; k < int(m_frames.size()); ++k)
        ticker->addTick(k, k % m_frameLabelStride == 0 ? QString::number(m_frames[size_t(k)]) : QString());
    m_barPlot->xAxis->setTicker(ticker);
}

QStringList PatchAttentionPanel::frameTickLabels() const {
    const auto ticker = m_barPlot->xAxis->ticker().dynamicCast<QCPAxisTickerText>();
    QStringList labels;
    if (ticker)
        for (auto it = ticker->ticks().constBegin(); it != ticker->ticks().constEnd(); ++it)
            labels << it.value();
    return labels;
}

void PatchAttentionPanel::placeThumbnails() {
    // The axis width is known only once laid out: relabel (and draw again) when it changes the stride.
    if (frameLabelStride() != m_frameLabelStride) {
        updateFrameTicks();
        m_barPlot->replot(QCustomPlot::rpQueuedReplot);
    }
    const QRect axis = m_barPlot->axisRect()->rect();
    const double perFrame = m_frames.empty() ? 0.0 : axis.width() / (m_barPlot->xAxis->range().size());
    for (int index = 0; index < m_barPlot->itemCount(); ++index) {
        auto* item = qobject_cast<QCPItemPixmap*>(m_barPlot->item(index));
        if (!item)
            continue;
        const int k = item->property("sample").toInt();
        // Scaled down to the width one frame has on the axis, centred under its tick.
        const QPixmap pixmap = item->pixmap();
        const double width = std::min<double>(pixmap.width(), perFrame * 0.92);
        const double height = pixmap.width() > 0 ? pixmap.height() * width / pixmap.width() : 0.0;
        item->setScaled(true, Qt::KeepAspectRatio);
        item->topLeft->setTypeX(QCPItemPosition::ptAbsolute);
        item->bottomRight->setType(QCPItemPosition::ptAbsolute);
        const double centre = m_barPlot->xAxis->coordToPixel(k);
        item->topLeft->setCoords(centre - width / 2, axis.bottom() + 5);
        item->bottomRight->setCoords(centre + width / 2, axis.bottom() + 5 + height);
    }
}

std::vector<double> PatchAttentionPanel::heatMapValues() const {
    std::vector<double> values;
    const int frames = m_heatMap->data()->keySize();
    for (int query = 0; query < frames; ++query)
        for (int key = 0; key < frames; ++key)
            values.push_back(m_heatMap->data()->cell(key, query));
    return values;
}

std::vector<double> PatchAttentionPanel::barValues() const {
    std::vector<std::pair<double, double>> points;
    for (QCPBars* bars : {m_bars, m_ownFrameBar})
        for (auto it = bars->data()->constBegin(); it != bars->data()->constEnd(); ++it)
            points.emplace_back(it->key, it->value);
    std::sort(points.begin(), points.end());
    std::vector<double> values;
    for (const auto& point : points)
        values.push_back(point.second);
    return values;
}

std::vector<std::pair<int, double>> PatchAttentionPanel::headDots() const {
    std::vector<std::pair<int, double>> dots;
    for (auto it = m_headDots->data()->constBegin(); it != m_headDots->data()->constEnd(); ++it)
        dots.emplace_back(static_cast<int>(std::lround(it->key)), it->value);
    return dots;
}

QString PatchAttentionPanel::statusText() const {
    return m_status->text();
}

} // namespace saccade
