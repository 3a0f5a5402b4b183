#include "ui/video/videoview.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace saccade {

namespace {

constexpr double kZoomStep = 1.25;
constexpr int kHudMargin = 8;
const QColor kBackground(18, 18, 20);
const QColor kCropBoxColor(255, 214, 10);

} // namespace

VideoView::VideoView(QWidget* parent) : QWidget(parent) {
    setAttribute(Qt::WA_OpaquePaintEvent);
    setFocusPolicy(Qt::ClickFocus);
    setMinimumSize(160, 90);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    m_placeholder = tr("Open a video with Ctrl+O, or drop a file here");
}

QSize VideoView::sizeHint() const {
    return {960, 540};
}

void VideoView::setFrameGeometry(const QSize& frameSize, double sampleAspectRatio) {
    m_frameSize = frameSize;
    m_sampleAspectRatio =
        (std::isfinite(sampleAspectRatio) && sampleAspectRatio > 0) ? sampleAspectRatio : 1.0;
    m_explicitGeometry = frameSize.isValid() && !frameSize.isEmpty();
    clampPan();
    notifyIdealSize();
    update();
}

void VideoView::setImage(const QImage& image) {
    m_image = image;
    if (!m_explicitGeometry && m_frameSize != image.size()) {
        m_frameSize = image.size();
        m_sampleAspectRatio = 1.0;
        notifyIdealSize();
    }
    update();
}

void VideoView::clear(const QString& placeholder) {
    m_image = QImage();
    m_overlay = QImage();
    m_overlayMap.clear();
    m_highlightedPatch = QRectF();
    m_hudNote.clear();
    m_overlayScaled = QImage();
    m_cropBoxes.clear();
    m_hudText.clear();
    m_frameSize = QSize();
    m_explicitGeometry = false;
    if (!placeholder.isEmpty())
        m_placeholder = placeholder;
    update();
}

void VideoView::setOverlay(const QImage& heatMap, const QRectF& cropBoxInFrame) {
    m_overlayMap.clear();
    m_overlay = heatMap;
    m_overlayBox = cropBoxInFrame;
    m_overlayScaled = QImage();
    update();
}

void VideoView::setOverlayMap(const std::vector<float>& map, int rows, int columns, const QRectF& boxInFrame,
                              Colormap colormap) {
    if (rows <= 0 || columns <= 0 || map.size() != size_t(rows) * size_t(columns)) {
        setOverlay({}, {});
        return;
    }
    m_overlayMap = map;
    m_overlayMapRows = rows;
    m_overlayMapColumns = columns;
    m_overlayColormap = colormap;
    m_overlayBox = boxInFrame;
    const auto [low, high] = OverlayRenderer::valueRange(map);
    m_overlay = OverlayRenderer::renderMap(map, rows, columns, QSize(columns, rows),
                                           OverlayRenderer::lookupTable(colormap, 1.0), low, high);
    m_overlayScaled = QImage();
    update();
}

void VideoView::setHudNote(const QString& note) {
    if (note == m_hudNote)
        return;
    m_hudNote = note;
    update();
}

void VideoView::setHighlightedPatch(const QRectF& patchInFrame) {
    if (patchInFrame == m_highlightedPatch)
        return;
    m_highlightedPatch = patchInFrame;
    update();
}

void VideoView::setOverlayOpacity(double opacity) {
    m_overlayOpacity = std::clamp(opacity, 0.0, 1.0);
    update();
}

void VideoView::setOverlayVisible(bool visible) {
    m_overlayVisible = visible;
    update();
}

void VideoView::setCropBoxes(const QVector<QRectF>& boxesInFrame) {
    m_cropBoxes = boxesInFrame;
    update();
}

void VideoView::setHudText(const QString& text) {
    if (text == m_hudText)
        return;
    m_hudText = text;
    update();
}

void VideoView::setHudVisible(bool visible) {
    m_hudVisible = visible;
    update();
}

void VideoView::setZoom(double zoom) {
    zoomAround(zoom, QRectF(rect()).center());
}

void VideoView::zoomIn() {
    setZoom(m_zoom * kZoomStep);
}

void VideoView::zoomOut() {
    setZoom(m_zoom / kZoomStep);
}

void VideoView::fitToWindow() {
    m_pan = QPointF();
    if (m_zoom != 1.0) {
        m_zoom = 1.0;
        Q_EMIT zoomChanged(m_zoom);
    }
    notifyIdealSize();
    update();
}

QSizeF VideoView::displaySize() const {
    if (m_frameSize.isEmpty())
        return {};
    return {m_frameSize.width() * m_sampleAspectRatio, double(m_frameSize.height())};
}

QRectF VideoView::fitRect() const {
    const QSizeF display = displaySize();
    if (display.isEmpty())
        return {};
    const QSizeF fitted = display.scaled(QSizeF(size()), Qt::KeepAspectRatio);
    QRectF result(QPointF(), fitted);
    result.moveCenter(QRectF(rect()).center());
    return result;
}

QRectF VideoView::imageRect() const {
    const QRectF fit = fitRect();
    if (fit.isEmpty())
        return {};
    QRectF result(QPointF(), fit.size() * m_zoom);
    result.moveCenter(fit.center() + m_pan);
    return result;
}

QPointF VideoView::frameToWidget(const QPointF& framePoint) const {
    const QRectF target = imageRect();
    if (target.isEmpty())
        return {};
    return {target.left() + framePoint.x() * target.width() / m_frameSize.width(),
            target.top() + framePoint.y() * target.height() / m_frameSize.height()};
}

QPointF VideoView::widgetToFrame(const QPointF& widgetPoint) const {
    const QRectF target = imageRect();
    if (target.isEmpty())
        return {};
    return {(widgetPoint.x() - target.left()) * m_frameSize.width() / target.width(),
            (widgetPoint.y() - target.top()) * m_frameSize.height() / target.height()};
}

QRectF VideoView::frameToWidget(const QRectF& frameRect) const {
    return QRectF(frameToWidget(frameRect.topLeft()), frameToWidget(frameRect.bottomRight()));
}

QSize VideoView::idealImageSize() const {
    const QRectF target = imageRect();
    if (target.isEmpty())
        return {};
    // Never decode more pixels than the frame has: upscaling is the painter's job.
    const QSizeF device = target.size() * devicePixelRatioF();
    const QSizeF display = displaySize();
    const QSizeF bounded = device.width() > display.width() ? display : device;
    return bounded.toSize().expandedTo(QSize(1, 1));
}

void VideoView::zoomAround(double zoom, const QPointF& anchor) {
    zoom = std::clamp(zoom, kMinZoom, kMaxZoom);
    const QRectF before = imageRect();
    if (before.isEmpty()) {
        m_zoom = zoom;
        return;
    }
    const QPointF relative((anchor.x() - before.left()) / before.width(),
                           (anchor.y() - before.top()) / before.height());
    const QSizeF newSize = fitRect().size() * zoom;
    const QPointF newCenter(anchor.x() - relative.x() * newSize.width() + newSize.width() / 2,
                            anchor.y() - relative.y() * newSize.height() + newSize.height() / 2);
    const bool changed = zoom != m_zoom;
    m_zoom = zoom;
    m_pan = newCenter - fitRect().center();
    clampPan();
    if (changed)
        Q_EMIT zoomChanged(m_zoom);
    notifyIdealSize();
    update();
}

void VideoView::clampPan() {
    if (m_zoom <= 1.0) {
        m_pan = QPointF();
        return;
    }
    // Keep the picture covering the centre of the view so it cannot be lost off-screen.
    const QSizeF half = fitRect().size() * m_zoom / 2;
    m_pan.setX(std::clamp(m_pan.x(), -half.width(), half.width()));
    m_pan.setY(std::clamp(m_pan.y(), -half.height(), half.height()));
}

void VideoView::notifyIdealSize() {
    const QSize ideal = idealImageSize();
    if (ideal != m_lastIdealSize) {
        m_lastIdealSize = ideal;
        Q_EMIT idealImageSizeChanged(ideal);
    }
}

void VideoView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), kBackground);
    const QRectF target = imageRect();
    if (m_image.isNull() || target.isEmpty()) {
        painter.setPen(QColor(200, 200, 200));
        painter.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
        return;
    }
    const QSizeF deviceTarget = target.size() * devicePixelRatioF();
    // Bilinear filtering only where it shows: an image decoded at display size is copied as is.
    const bool exact = std::abs(deviceTarget.width() - m_image.width()) < 1.0 &&
                       std::abs(deviceTarget.height() - m_image.height()) < 1.0;
    painter.setRenderHint(QPainter::SmoothPixmapTransform, !exact && m_zoom <= 4.0);
    painter.drawImage(target, m_image);
    paintOverlay(painter);
    paintHud(painter);
}

void VideoView::paintOverlay(QPainter& painter) {
    if (m_overlayVisible && !m_overlay.isNull() && !m_overlayBox.isEmpty() && m_overlayOpacity > 0) {
        const QRectF box = frameToWidget(m_overlayBox);
        const QSize deviceSize = (box.size() * devicePixelRatioF()).toSize();
        // Resampling a small heat map up to screen size is the expensive part; do it once per size and
        // opacity, with the opacity baked in so drawing is a plain premultiplied blend.
        if ((m_overlayScaled.size() != deviceSize || m_overlayScaledOpacity != m_overlayOpacity) &&
            deviceSize.width() * deviceSize.height() <= 64 * 1024 * 1024) {
            if (!m_overlayMap.empty()) {
                // One pass from the map to device pixels, colours and opacity from a lookup table.
                const auto [low, high] = OverlayRenderer::valueRange(m_overlayMap);
                m_overlayScaled = OverlayRenderer::renderMap(
                    m_overlayMap, m_overlayMapRows, m_overlayMapColumns, deviceSize,
                    OverlayRenderer::lookupTable(m_overlayColormap, m_overlayOpacity), low, high);
            } else {
                m_overlayScaled =
                    m_overlay.scaled(deviceSize, Qt::IgnoreAspectRatio, Qt::SmoothTransformation)
                        .convertToFormat(QImage::Format_ARGB32_Premultiplied);
                QPainter fade(&m_overlayScaled);
                fade.setCompositionMode(QPainter::CompositionMode_DestinationIn);
                fade.fillRect(m_overlayScaled.rect(),
                              QColor(0, 0, 0, int(std::lround(m_overlayOpacity * 255))));
            }
            m_overlayScaledOpacity = m_overlayOpacity;
        }
        if (!m_overlayScaled.isNull()) {
            // Unscaled at a whole device pixel, so the blend takes the plain blit path, not a transform.
            const qreal ratio = devicePixelRatioF();
            m_overlayScaled.setDevicePixelRatio(ratio);
            painter.drawImage(
                QPointF(std::round(box.left() * ratio) / ratio, std::round(box.top() * ratio) / ratio),
                m_overlayScaled);
        }
    }
    if (m_overlayVisible && !m_highlightedPatch.isEmpty()) {
        painter.save();
        painter.setRenderHint(QPainter::Antialiasing, false);
        painter.setBrush(Qt::NoBrush);
        const QRectF patch = frameToWidget(m_highlightedPatch);
        // Dark under light, so the outline shows on any colour of the map.
        painter.setPen(QPen(QColor(0, 0, 0, 200), 3.0));
        painter.drawRect(patch);
        painter.setPen(QPen(Qt::white, 1.5));
        painter.drawRect(patch);
        painter.restore();
    }
    if (!m_cropBoxes.isEmpty()) {
        painter.save();
        painter.setRenderHint(QPainter::Antialiasing, false);
        QPen pen(kCropBoxColor, 1.5, Qt::DashLine);
        pen.setCosmetic(true);
        painter.setPen(pen);
        painter.setBrush(Qt::NoBrush);
        for (const QRectF& box : m_cropBoxes)
            painter.drawRect(frameToWidget(box));
        painter.restore();
    }
}

void VideoView::paintHud(QPainter& painter) {
    if (!m_hudVisible || m_hudText.isEmpty())
        return;
    const QString text = m_hudNote.isEmpty() || !m_overlayVisible || m_overlay.isNull()
                             ? m_hudText
                             : m_hudText + QLatin1Char('\n') + m_hudNote;
    QFont font = this->font();
    font.setFamily(QStringLiteral("monospace"));
    font.setStyleHint(QFont::Monospace);
    painter.setFont(font);
    const QFontMetrics metrics(font);
    const QRect textRect = metrics.boundingRect(QRect(0, 0, 2000, 200), Qt::AlignLeft | Qt::AlignTop, text);
    const QRectF box(kHudMargin, kHudMargin, textRect.width() + 12, textRect.height() + 8);
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(0, 0, 0, 160));
    painter.drawRoundedRect(box, 4, 4);
    painter.setPen(Qt::white);
    painter.drawText(box.adjusted(6, 4, -6, -4), Qt::AlignLeft | Qt::AlignTop, text);
}

void VideoView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    clampPan();
    notifyIdealSize();
}

void VideoView::wheelEvent(QWheelEvent* event) {
    const int steps = event->angleDelta().y() / 120;
    if (event->modifiers() & Qt::ControlModifier) {
        const double factor = std::pow(kZoomStep, event->angleDelta().y() / 120.0);
        zoomAround(m_zoom * factor, event->position());
        event->accept();
        return;
    }
    if (steps != 0 && !m_image.isNull()) {
        // Wheel down moves forward in time, as in Kdenlive's monitor.
        Q_EMIT stepRequested(-steps);
        event->accept();
        return;
    }
    event->ignore();
}

void VideoView::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton || event->button() == Qt::MiddleButton) {
        m_dragging = true;
        m_dragMoved = false;
        m_dragOrigin = event->position();
        m_panAtDragStart = m_pan;
        event->accept();
        return;
    }
    QWidget::mousePressEvent(event);
}

void VideoView::mouseMoveEvent(QMouseEvent* event) {
    if (!m_dragging)
        return;
    const QPointF delta = event->position() - m_dragOrigin;
    if (!m_dragMoved && delta.manhattanLength() < 4)
        return;
    m_dragMoved = true;
    if (m_zoom > 1.0) {
        setCursor(Qt::ClosedHandCursor);
        m_pan = m_panAtDragStart + delta;
        clampPan();
        update();
    }
}

void VideoView::mouseReleaseEvent(QMouseEvent* event) {
    if (!m_dragging)
        return;
    m_dragging = false;
    unsetCursor();
    if (!m_dragMoved && event->button() == Qt::LeftButton && imageRect().contains(event->position()))
        Q_EMIT framePointClicked(widgetToFrame(event->position()));
}

void VideoView::mouseDoubleClickEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton)
        fitToWindow();
}

} // namespace saccade
