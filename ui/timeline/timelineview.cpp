#include "ui/timeline/timelineview.h"

#include <QContextMenuEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace saccade {

namespace {

const QColor kPlayheadColor(230, 57, 70);
const QColor kSampleTickColor(255, 170, 0);
const QColor kMarkColor(64, 156, 255);
constexpr double kZoomStep = 1.25;
constexpr double kMinThumbnailSpacing = 1.0;

// Ruler steps in frames and seconds; the first whose labels are at least this far apart is used.
constexpr double kMinLabelSpacingPx = 90.0;
const double kSecondSteps[] = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400};
const qint64 kFrameSteps[] = {1, 2, 5, 10};

QString rulerLabel(qint64 timeMs, bool withMs) {
    const qint64 totalSeconds = timeMs / 1000;
    const qint64 hours = totalSeconds / 3600;
    const qint64 minutes = (totalSeconds / 60) % 60;
    const qint64 seconds = totalSeconds % 60;
    QString text = hours > 0 ? QStringLiteral("%1:%2:%3")
                                   .arg(hours)
                                   .arg(minutes, 2, 10, QLatin1Char('0'))
                                   .arg(seconds, 2, 10, QLatin1Char('0'))
                             : QStringLiteral("%1:%2").arg(minutes).arg(seconds, 2, 10, QLatin1Char('0'));
    if (withMs)
        text += QStringLiteral(".%1").arg(timeMs % 1000, 3, 10, QLatin1Char('0'));
    return text;
}

QColor readableTextOn(const QColor& background) {
    return background.lightnessF() > 0.6 ? QColor(20, 20, 20) : QColor(250, 250, 250);
}

} // namespace

TimelineView::TimelineView(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setFocusPolicy(Qt::NoFocus);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_scrollBar = new QScrollBar(Qt::Horizontal, this);
    m_scrollBar->setFocusPolicy(Qt::NoFocus);
    connect(m_scrollBar, &QScrollBar::valueChanged, this, [this](int value) {
        if (!m_syncingScrollBar)
            setFirstVisibleFrame(value);
    });
    syncScrollBar();
}

QSize TimelineView::sizeHint() const {
    return {800, minimumSizeHint().height()};
}

QSize TimelineView::minimumSizeHint() const {
    return {200, contentHeight() + kScrollBarGap + m_scrollBar->sizeHint().height()};
}

int TimelineView::contentHeight() const {
    return kRulerHeight + kFilmstripHeight + kTrackHeight + kAnalysisHeight;
}

QRect TimelineView::rulerRect() const {
    return {0, 0, width(), kRulerHeight};
}
QRect TimelineView::filmstripRect() const {
    return {0, kRulerHeight, width(), kFilmstripHeight};
}
QRect TimelineView::trackRect() const {
    return {0, kRulerHeight + kFilmstripHeight, width(), kTrackHeight};
}
QRect TimelineView::analysisRect() const {
    return {0, kRulerHeight + kFilmstripHeight + kTrackHeight, width(), kAnalysisHeight};
}

void TimelineView::setFrameCount(qint64 frameCount) {
    m_frameCount = std::max<qint64>(0, frameCount);
    m_playhead = std::clamp<qint64>(m_playhead, 0, std::max<qint64>(0, m_frameCount - 1));
    m_fitted = true;
    zoomToFit();
}

void TimelineView::setFrameRate(FrameRate rate) {
    if (rate.isValid())
        m_rate = rate;
    update();
}

void TimelineView::setPlayhead(qint64 frame) {
    if (frame == m_playhead)
        return;
    m_playhead = frame;
    // Follow the playhead page by page when it leaves the view, as editors do during playback.
    const double x = xForFrame(double(frame));
    if (m_dragMode != DragMode::Scrub && (x < 0 || x > width() - 1) && !m_fitted) {
        setFirstVisibleFrame(double(frame) - 0.1 * width() / m_pixelsPerFrame);
        return;
    }
    update();
}

void TimelineView::setSegments(const QVector<TimelineSegment>& segments) {
    m_segments = segments;
    update();
}

void TimelineView::setSelectedSegment(const QString& id) {
    m_selectedId = id;
    update();
}

void TimelineView::setMarks(qint64 inFrame, qint64 outFrame) {
    m_inFrame = inFrame;
    m_outFrame = outFrame;
    update();
}

void TimelineView::setSampledFrames(const QVector<qint64>& frames) {
    m_sampledFrames = frames;
    update();
}

void TimelineView::setAnalysedRanges(const QVector<FrameRange>& ranges) {
    m_analysed = ranges;
    update();
}

void TimelineView::setPendingRanges(const QVector<FrameRange>& ranges) {
    m_pending = ranges;
    update();
}

void TimelineView::setThumbnail(qint64 frame, const QImage& thumbnail) {
    if (thumbnail.isNull())
        return;
    const bool aspectChanged =
        m_thumbnails.isEmpty() &&
        std::abs(thumbnail.width() / double(thumbnail.height()) - m_thumbnailAspect) > 0.01;
    m_thumbnailAspect = thumbnail.width() / double(thumbnail.height());
    m_thumbnails.insert(frame, thumbnail.scaledToHeight(kFilmstripHeight - 4, Qt::SmoothTransformation));
    if (aspectChanged)
        Q_EMIT wantedThumbnailsChanged();
    update(filmstripRect());
}

void TimelineView::clearThumbnails() {
    m_thumbnails.clear();
    update(filmstripRect());
}

int TimelineView::thumbnailWidth() const {
    return std::max(8, int(std::lround((kFilmstripHeight - 4) * m_thumbnailAspect)) + 2);
}

QVector<qint64> TimelineView::wantedThumbnailFrames() const {
    QVector<qint64> frames;
    if (m_frameCount <= 0 || width() <= 0)
        return frames;
    const int tile = thumbnailWidth();
    // Tiles sit on a grid anchored at frame 0, so scrolling reuses the thumbnails already decoded.
    const double framesPerTile = std::max(kMinThumbnailSpacing, tile / m_pixelsPerFrame);
    const qint64 firstTile = qint64(std::floor(m_firstFrame / framesPerTile));
    for (qint64 index = firstTile;; ++index) {
        const qint64 frame = qint64(std::llround(index * framesPerTile));
        if (frame >= m_frameCount || xForFrame(double(frame)) > width())
            break;
        if (frames.isEmpty() || frames.back() != frame)
            frames.append(frame);
    }
    return frames;
}

double TimelineView::minPixelsPerFrame() const {
    if (m_frameCount <= 0 || width() <= 0)
        return 1.0;
    return std::min(kMaxPixelsPerFrame, width() / double(m_frameCount));
}

double TimelineView::lastVisibleFrame() const {
    return m_firstFrame + width() / m_pixelsPerFrame;
}

void TimelineView::setPixelsPerFrame(double pixelsPerFrame, double anchorX) {
    const double anchorFrame = m_firstFrame + anchorX / m_pixelsPerFrame;
    m_pixelsPerFrame = std::clamp(pixelsPerFrame, minPixelsPerFrame(), kMaxPixelsPerFrame);
    m_fitted = m_pixelsPerFrame <= minPixelsPerFrame() + 1e-12;
    m_firstFrame = anchorFrame - anchorX / m_pixelsPerFrame;
    clampView();
    viewChanged();
}

void TimelineView::setFirstVisibleFrame(double frame) {
    m_firstFrame = frame;
    clampView();
    viewChanged();
}

void TimelineView::zoomToFit() {
    m_pixelsPerFrame = minPixelsPerFrame();
    m_firstFrame = 0.0;
    m_fitted = true;
    viewChanged();
}

void TimelineView::clampView() {
    const double visibleFrames = width() / m_pixelsPerFrame;
    const double maxFirst = std::max(0.0, double(m_frameCount) - visibleFrames);
    m_firstFrame = std::clamp(m_firstFrame, 0.0, maxFirst);
}

void TimelineView::viewChanged() {
    syncScrollBar();
    update();
    Q_EMIT visibleRangeChanged(m_firstFrame, lastVisibleFrame());
    Q_EMIT wantedThumbnailsChanged();
}

void TimelineView::syncScrollBar() {
    m_syncingScrollBar = true;
    const double visibleFrames = width() > 0 ? width() / m_pixelsPerFrame : double(m_frameCount);
    const qint64 maximum = std::max<qint64>(0, qint64(std::ceil(double(m_frameCount) - visibleFrames)));
    m_scrollBar->setRange(0, int(std::min<qint64>(maximum, std::numeric_limits<int>::max())));
    m_scrollBar->setPageStep(std::max(1, int(visibleFrames)));
    m_scrollBar->setSingleStep(std::max(1, int(visibleFrames / 20)));
    m_scrollBar->setValue(int(std::lround(m_firstFrame)));
    m_scrollBar->setVisible(maximum > 0);
    m_syncingScrollBar = false;
}

double TimelineView::xForFrame(double frame) const {
    return (frame - m_firstFrame) * m_pixelsPerFrame;
}

qint64 TimelineView::frameAtX(double x) const {
    const qint64 frame = qint64(std::floor(m_firstFrame + x / m_pixelsPerFrame));
    return std::clamp<qint64>(frame, 0, std::max<qint64>(0, m_frameCount - 1));
}

qint64 TimelineView::boundaryAtX(double x) const {
    const qint64 frame = qint64(std::llround(m_firstFrame + x / m_pixelsPerFrame));
    return std::clamp<qint64>(frame, 0, m_frameCount);
}

const TimelineSegment* TimelineView::segmentById(const QString& id) const {
    for (const TimelineSegment& segment : m_segments) {
        if (segment.id == id)
            return &segment;
    }
    return nullptr;
}

TimelineView::Hit TimelineView::hitTest(const QPoint& position) const {
    Hit hit;
    if (!trackRect().contains(position))
        return hit;
    // Edges first (the selected segment wins ties), so short segments can still be resized.
    double bestDistance = kEdgeGrabPixels + 1;
    for (const TimelineSegment& segment : m_segments) {
        const double startDistance = std::abs(position.x() - xForFrame(double(segment.startFrame)));
        const double endDistance = std::abs(position.x() - xForFrame(double(segment.endFrame)));
        const double bias = segment.id == m_selectedId ? 0.5 : 0.0;
        if (startDistance - bias < bestDistance) {
            bestDistance = startDistance - bias;
            hit = {segment.id, SegmentEdge::Start, true};
        }
        if (endDistance - bias < bestDistance) {
            bestDistance = endDistance - bias;
            hit = {segment.id, SegmentEdge::End, true};
        }
    }
    if (hit.onEdge)
        return hit;
    for (const TimelineSegment& segment : m_segments) {
        if (position.x() >= xForFrame(double(segment.startFrame)) &&
            position.x() < xForFrame(double(segment.endFrame)))
            return {segment.id, SegmentEdge::Start, false};
    }
    return hit;
}

void TimelineView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    const int barHeight = m_scrollBar->sizeHint().height();
    m_scrollBar->setGeometry(0, height() - barHeight, width(), barHeight);
    if (m_fitted)
        m_pixelsPerFrame = minPixelsPerFrame();
    else
        m_pixelsPerFrame = std::clamp(m_pixelsPerFrame, minPixelsPerFrame(), kMaxPixelsPerFrame);
    clampView();
    viewChanged();
}

void TimelineView::wheelEvent(QWheelEvent* event) {
    const QPoint angle = event->angleDelta();
    const bool horizontal = std::abs(angle.x()) > std::abs(angle.y());
    if (horizontal || (event->modifiers() & Qt::ShiftModifier)) {
        const int delta = horizontal ? angle.x() : angle.y();
        setFirstVisibleFrame(m_firstFrame - delta / 120.0 * (width() / 10.0) / m_pixelsPerFrame);
    } else {
        setPixelsPerFrame(m_pixelsPerFrame * std::pow(kZoomStep, angle.y() / 120.0), event->position().x());
    }
    event->accept();
}

void TimelineView::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton || m_frameCount <= 0) {
        QWidget::mousePressEvent(event);
        return;
    }
    const QPoint position = event->position().toPoint();
    const Hit hit = hitTest(position);
    if (!hit.id.isEmpty()) {
        if (hit.id != m_selectedId) {
            m_selectedId = hit.id;
            update();
        }
        Q_EMIT segmentSelected(hit.id);
        if (hit.onEdge) {
            const TimelineSegment* segment = segmentById(hit.id);
            m_dragMode = DragMode::Edge;
            m_dragId = hit.id;
            m_dragEdge = hit.edge;
            m_dragPreview = {segment->startFrame, segment->endFrame};
            m_dragChanged = false;
            return;
        }
    }
    m_dragMode = DragMode::Scrub;
    Q_EMIT seekRequested(frameAtX(position.x()));
}

void TimelineView::mouseMoveEvent(QMouseEvent* event) {
    const QPoint position = event->position().toPoint();
    if (m_dragMode == DragMode::Scrub) {
        Q_EMIT seekRequested(frameAtX(position.x()));
        return;
    }
    if (m_dragMode == DragMode::Edge) {
        const qint64 boundary = boundaryAtX(position.x());
        FrameRange next = m_dragPreview;
        if (m_dragEdge == SegmentEdge::Start)
            next.start = std::clamp<qint64>(boundary, 0, next.end - 1);
        else
            next.end = std::clamp<qint64>(boundary, next.start + 1, m_frameCount);
        if (next.start != m_dragPreview.start || next.end != m_dragPreview.end) {
            m_dragPreview = next;
            m_dragChanged = true;
            update();
            Q_EMIT segmentResizeRequested(m_dragId, next.start, next.end);
        }
        return;
    }
    const Hit hit = hitTest(position);
    setCursor(hit.onEdge ? Qt::SizeHorCursor : Qt::ArrowCursor);
}

void TimelineView::mouseReleaseEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton)
        return;
    if (m_dragMode == DragMode::Edge && m_dragChanged)
        Q_EMIT segmentResizeFinished(m_dragId);
    m_dragMode = DragMode::None;
    m_dragId.clear();
    update();
}

void TimelineView::leaveEvent(QEvent* event) {
    QWidget::leaveEvent(event);
    if (m_dragMode == DragMode::None)
        unsetCursor();
}

void TimelineView::contextMenuEvent(QContextMenuEvent* event) {
    const Hit hit = hitTest(event->pos());
    if (hit.id.isEmpty())
        return;
    const QString id = hit.id;
    const qint64 frame = boundaryAtX(event->pos().x());
    m_selectedId = id;
    Q_EMIT segmentSelected(id);
    update();
    QMenu menu(this);
    menu.addAction(tr("Split here"), this, [this, id, frame] { Q_EMIT splitRequested(id, frame); });
    menu.addAction(tr("Merge with next"), this, [this, id] { Q_EMIT mergeWithNextRequested(id); });
    menu.addAction(tr("Loop"), this, [this, id] { Q_EMIT loopRequested(id); });
    menu.addSeparator();
    menu.addAction(tr("Delete"), this, [this, id] { Q_EMIT deleteRequested(id); });
    menu.exec(event->globalPos());
}

void TimelineView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().base());
    painter.fillRect(rulerRect(), palette().window());
    painter.fillRect(filmstripRect(), palette().alternateBase());
    if (m_frameCount <= 0) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(QRect(0, 0, width(), contentHeight()), Qt::AlignCenter, tr("No video"));
        return;
    }
    paintFilmstrip(painter);
    paintTrack(painter);
    paintAnalysis(painter);
    paintRuler(painter);
    paintMarksAndPlayhead(painter);
    painter.setPen(palette().color(QPalette::Mid));
    for (int y :
         {rulerRect().bottom(), filmstripRect().bottom(), trackRect().bottom(), analysisRect().bottom()})
        painter.drawLine(0, y, width(), y);
}

void TimelineView::paintRuler(QPainter& painter) {
    const QRect area = rulerRect();
    const double fps = m_rate.framesPerSecond();
    // Pick the smallest step (in frames) whose labels do not collide.
    double stepFrames = 0;
    bool frameSteps = false;
    for (qint64 frames : kFrameSteps) {
        if (frames * m_pixelsPerFrame >= kMinLabelSpacingPx && frames < fps) {
            stepFrames = double(frames);
            frameSteps = true;
            break;
        }
    }
    if (stepFrames == 0) {
        for (double seconds : kSecondSteps) {
            if (seconds * fps * m_pixelsPerFrame >= kMinLabelSpacingPx) {
                stepFrames = seconds * fps;
                break;
            }
        }
    }
    if (stepFrames == 0)
        stepFrames = 14400 * fps;
    const QColor text = palette().color(QPalette::WindowText);
    QColor minor = text;
    minor.setAlphaF(0.35);
    QFont small = font();
    small.setPointSizeF(std::max(7.0, small.pointSizeF() * 0.85));
    painter.setFont(small);
    const qint64 firstIndex = qint64(std::floor(m_firstFrame / stepFrames));
    for (qint64 index = firstIndex;; ++index) {
        const double frame = frameSteps ? double(index) * stepFrames : std::round(index * stepFrames);
        const double x = xForFrame(frame);
        if (x > width() || frame > m_frameCount)
            break;
        painter.setPen(text);
        painter.drawLine(QPointF(x, area.bottom() - 8), QPointF(x, area.bottom()));
        const qint64 ms = Timecode::frameToMs(qint64(frame), m_rate);
        const QString label = frameSteps ? QString::number(qint64(frame)) : rulerLabel(ms, false);
        painter.drawText(QRectF(x + 3, area.top(), kMinLabelSpacingPx, area.height() - 6),
                         Qt::AlignLeft | Qt::AlignVCenter, label);
        painter.setPen(minor);
        for (int sub = 1; sub < 5; ++sub) {
            const double subX = xForFrame(frame + stepFrames * sub / 5.0);
            painter.drawLine(QPointF(subX, area.bottom() - 4), QPointF(subX, area.bottom()));
        }
    }
}

void TimelineView::paintFilmstrip(QPainter& painter) {
    const QRect area = filmstripRect();
    if (m_thumbnails.isEmpty())
        return;
    painter.save();
    painter.setClipRect(area);
    const QVector<qint64> frames = wantedThumbnailFrames();
    for (qint64 frame : frames) {
        // Show the closest thumbnail decoded so far until the exact one arrives.
        auto it = m_thumbnails.lowerBound(frame);
        if (it == m_thumbnails.end() || (it.key() != frame && it != m_thumbnails.begin()))
            it = std::prev(it);
        const QImage& image = it.value();
        const double x = xForFrame(double(frame));
        painter.drawImage(QPointF(x + 1, area.top() + 2), image);
    }
    painter.restore();
}

void TimelineView::paintTrack(QPainter& painter) {
    const QRect area = trackRect();
    painter.save();
    painter.setClipRect(area);
    painter.setRenderHint(QPainter::Antialiasing, true);
    QFont labelFont = font();
    labelFont.setPointSizeF(std::max(7.0, labelFont.pointSizeF() * 0.9));
    painter.setFont(labelFont);
    for (const TimelineSegment& segment : m_segments) {
        FrameRange range{segment.startFrame, segment.endFrame};
        if (m_dragMode == DragMode::Edge && segment.id == m_dragId)
            range = m_dragPreview;
        const double left = xForFrame(double(range.start));
        const double right = xForFrame(double(range.end));
        if (right < 0 || left > width())
            continue;
        const QRectF box(left + 0.5, area.top() + 3.5, std::max(2.0, right - left - 1.0),
                         area.height() - 7.0);
        const QColor color = segment.color.isValid() ? segment.color : palette().color(QPalette::Highlight);
        QColor textColor = palette().color(QPalette::Text);
        QString text = segment.label;
        switch (segment.state) {
        case TimelineSegmentState::Proposed: {
            QColor fill = color;
            fill.setAlphaF(0.18);
            painter.setPen(Qt::NoPen);
            painter.setBrush(fill);
            painter.drawRoundedRect(box, 3, 3);
            painter.setBrush(QBrush(color, Qt::BDiagPattern));
            painter.drawRoundedRect(box, 3, 3);
            painter.setPen(QPen(color, 1.5, Qt::DashLine));
            painter.setBrush(Qt::NoBrush);
            painter.drawRoundedRect(box, 3, 3);
            if (segment.confidence >= 0)
                text = QStringLiteral("%1 %2%").arg(segment.label).arg(std::lround(segment.confidence * 100));
            text = tr("? %1").arg(text);
            break;
        }
        case TimelineSegmentState::Rejected: {
            QColor fill = palette().color(QPalette::Mid);
            fill.setAlphaF(0.35);
            painter.setPen(QPen(palette().color(QPalette::Mid), 1.0, Qt::DotLine));
            painter.setBrush(fill);
            painter.drawRoundedRect(box, 3, 3);
            textColor = palette().color(QPalette::PlaceholderText);
            break;
        }
        case TimelineSegmentState::Manual:
        case TimelineSegmentState::Accepted:
        case TimelineSegmentState::Edited:
            painter.setPen(QPen(color.darker(130), 1.0));
            painter.setBrush(color);
            painter.drawRoundedRect(box, 3, 3);
            textColor = readableTextOn(color);
            break;
        }
        if (segment.id == m_selectedId) {
            painter.setPen(QPen(palette().color(QPalette::Highlight), 2.5));
            painter.setBrush(Qt::NoBrush);
            painter.drawRoundedRect(box.adjusted(-1, -1, 1, 1), 4, 4);
            // Grips on both edges say "drag me".
            painter.setPen(Qt::NoPen);
            painter.setBrush(palette().color(QPalette::Highlight));
            painter.drawRect(QRectF(box.left() - 1, box.center().y() - 6, 3, 12));
            painter.drawRect(QRectF(box.right() - 2, box.center().y() - 6, 3, 12));
        }
        if (box.width() > 24) {
            painter.setPen(textColor);
            QFont segmentFont = labelFont;
            segmentFont.setStrikeOut(segment.state == TimelineSegmentState::Rejected);
            painter.setFont(segmentFont);
            const QRectF textBox = box.adjusted(5, 0, -5, 0);
            painter.drawText(textBox, Qt::AlignLeft | Qt::AlignVCenter,
                             painter.fontMetrics().elidedText(text, Qt::ElideRight, int(textBox.width())));
        }
    }
    painter.restore();
}

void TimelineView::paintAnalysis(QPainter& painter) {
    const QRect area = analysisRect();
    QColor analysed = palette().color(QPalette::Highlight);
    analysed.setAlphaF(0.55);
    QColor pending = palette().color(QPalette::Mid);
    auto spanRect = [&](const FrameRange& range) {
        const double left = std::max(-1.0, xForFrame(double(range.start)));
        const double right = std::min(width() + 1.0, xForFrame(double(range.end)));
        return QRectF(left, area.top() + 2, std::max(1.0, right - left), area.height() - 4);
    };
    for (const FrameRange& range : m_pending)
        painter.fillRect(spanRect(range), QBrush(pending, Qt::Dense5Pattern));
    for (const FrameRange& range : m_analysed)
        painter.fillRect(spanRect(range), analysed);
    if (m_sampledFrames.isEmpty())
        return;
    // Sampled frames: ticks through the analysis row and small notches on the filmstrip.
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setPen(QPen(kSampleTickColor, 2.0));
    const QRect film = filmstripRect();
    for (qint64 frame : m_sampledFrames) {
        const double x = xForFrame(double(frame) + 0.5);
        if (x < -2 || x > width() + 2)
            continue;
        painter.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom()));
        painter.drawLine(QPointF(x, film.bottom() - 5), QPointF(x, film.bottom()));
    }
    painter.restore();
}

void TimelineView::paintMarksAndPlayhead(QPainter& painter) {
    const int bottom = contentHeight();
    painter.save();
    if (m_inFrame >= 0 || m_outFrame >= 0) {
        const double left = m_inFrame >= 0 ? xForFrame(double(m_inFrame)) : 0.0;
        const double right = m_outFrame >= 0 ? xForFrame(double(m_outFrame + 1)) : double(width());
        QColor span = kMarkColor;
        span.setAlphaF(0.16);
        if (right > left)
            painter.fillRect(QRectF(left, 0, right - left, bottom), span);
        painter.setPen(QPen(kMarkColor, 2.0));
        if (m_inFrame >= 0) {
            painter.drawLine(QPointF(left, 0), QPointF(left, bottom));
            painter.drawLine(QPointF(left, 1), QPointF(left + 6, 1));
        }
        if (m_outFrame >= 0) {
            painter.drawLine(QPointF(right, 0), QPointF(right, bottom));
            painter.drawLine(QPointF(right, 1), QPointF(right - 6, 1));
        }
    }
    const double x = xForFrame(double(m_playhead));
    const double frameWidth = m_pixelsPerFrame;
    if (frameWidth >= 3) {
        QColor current = kPlayheadColor;
        current.setAlphaF(0.15);
        painter.fillRect(QRectF(x, kRulerHeight, frameWidth, bottom - kRulerHeight), current);
    }
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setPen(QPen(kPlayheadColor, 1.5));
    painter.drawLine(QPointF(x, 0), QPointF(x, bottom));
    QPainterPath head;
    head.moveTo(x - 6, 0);
    head.lineTo(x + 6, 0);
    head.lineTo(x, 8);
    head.closeSubpath();
    painter.fillPath(head, kPlayheadColor);
    painter.restore();
}

} // namespace saccade
