#pragma once

#include "ui/timeline/timelinetypes.h"
#include "ui/transport/timecode.h"

#include <QImage>
#include <QMap>
#include <QWidget>

class QScrollBar;

namespace saccade {

/// The custom-painted timeline: time ruler with in/out marks, a filmstrip of thumbnails, the segment
/// track (proposals hatched with their confidence), and the analysis row (analysed and pending
/// ranges, the current window's sampled frames as ticks), with the playhead across all of them.
/// Dumb: setters plus intent signals; edits are requests for the document to carry out.
class TimelineView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kRulerHeight = 24;
    static constexpr int kFilmstripHeight = 44;
    static constexpr int kTrackHeight = 30;
    static constexpr int kAnalysisHeight = 10;
    static constexpr int kScrollBarGap = 2;
    /// Pixels from a segment edge that still grab it.
    static constexpr int kEdgeGrabPixels = 5;
    /// Most zoomed-in: one frame this many pixels wide.
    static constexpr double kMaxPixelsPerFrame = 48.0;

    explicit TimelineView(QWidget* parent = nullptr);

    void setFrameCount(qint64 frameCount);
    qint64 frameCount() const { return m_frameCount; }
    void setFrameRate(FrameRate rate);
    void setPlayhead(qint64 frame);
    qint64 playhead() const { return m_playhead; }
    void setSegments(const QVector<TimelineSegment>& segments);
    const QVector<TimelineSegment>& segments() const { return m_segments; }
    /// An empty id selects nothing.
    void setSelectedSegment(const QString& id);
    QString selectedSegment() const { return m_selectedId; }
    /// In and out marks (frames); -1 hides a mark.
    void setMarks(qint64 inFrame, qint64 outFrame);
    void setSampledFrames(const QVector<qint64>& frames);
    void setAnalysedRanges(const QVector<FrameRange>& ranges);
    void setPendingRanges(const QVector<FrameRange>& ranges);
    const QVector<qint64>& sampledFrames() const { return m_sampledFrames; }
    const QVector<FrameRange>& analysedRanges() const { return m_analysed; }
    const QVector<FrameRange>& pendingRanges() const { return m_pending; }
    /// A filmstrip thumbnail decoded at `frame`.
    void setThumbnail(qint64 frame, const QImage& thumbnail);
    void clearThumbnails();
    bool hasThumbnail(qint64 frame) const { return m_thumbnails.contains(frame); }
    /// The frames whose thumbnails the filmstrip would show now.
    QVector<qint64> wantedThumbnailFrames() const;

    /// Width of one frame in pixels and the first visible frame (fractional).
    double pixelsPerFrame() const { return m_pixelsPerFrame; }
    double firstVisibleFrame() const { return m_firstFrame; }
    double lastVisibleFrame() const;
    /// Sets the zoom, keeping the frame under `anchorX` in place.
    void setPixelsPerFrame(double pixelsPerFrame, double anchorX);
    void setFirstVisibleFrame(double frame);
    /// The whole video fits the width (the least zoom).
    void zoomToFit();
    double minPixelsPerFrame() const;

    /// x of the left boundary of `frame` and the frame whose interval contains x.
    double xForFrame(double frame) const;
    qint64 frameAtX(double x) const;
    /// The nearest frame boundary to x (where a dragged edge lands).
    qint64 boundaryAtX(double x) const;

    QRect rulerRect() const;
    QRect filmstripRect() const;
    QRect trackRect() const;
    QRect analysisRect() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void seekRequested(qint64 frame);
    void segmentSelected(const QString& id);
    /// The user is dragging an edge; the document should resize the segment to [start, end).
    void segmentResizeRequested(const QString& id, qint64 startFrame, qint64 endFrame);
    /// The drag that produced the resize requests is over.
    void segmentResizeFinished(const QString& id);
    void splitRequested(const QString& id, qint64 frame);
    void mergeWithNextRequested(const QString& id);
    void deleteRequested(const QString& id);
    void loopRequested(const QString& id);
    /// Zoom or scroll changed: frames [first, last] are visible.
    void visibleRangeChanged(double firstFrame, double lastFrame);
    void wantedThumbnailsChanged();

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    struct Hit {
        QString id;
        SegmentEdge edge = SegmentEdge::Start;
        bool onEdge = false;
    };
    Hit hitTest(const QPoint& position) const;
    const TimelineSegment* segmentById(const QString& id) const;
    int contentHeight() const;
    void clampView();
    void viewChanged();
    void syncScrollBar();
    int thumbnailWidth() const;

    void paintRuler(QPainter& painter);
    void paintFilmstrip(QPainter& painter);
    void paintTrack(QPainter& painter);
    void paintAnalysis(QPainter& painter);
    void paintMarksAndPlayhead(QPainter& painter);

    qint64 m_frameCount = 0;
    FrameRate m_rate{25, 1};
    qint64 m_playhead = 0;
    QVector<TimelineSegment> m_segments;
    QString m_selectedId;
    qint64 m_inFrame = -1;
    qint64 m_outFrame = -1;
    QVector<qint64> m_sampledFrames;
    QVector<FrameRange> m_analysed;
    QVector<FrameRange> m_pending;
    QMap<qint64, QImage> m_thumbnails;
    double m_thumbnailAspect = 16.0 / 9.0;

    double m_pixelsPerFrame = 1.0;
    double m_firstFrame = 0.0;
    bool m_fitted = true;

    enum class DragMode { None, Scrub, Edge };
    DragMode m_dragMode = DragMode::None;
    QString m_dragId;
    SegmentEdge m_dragEdge = SegmentEdge::Start;
    FrameRange m_dragPreview;
    bool m_dragChanged = false;

    QScrollBar* m_scrollBar = nullptr;
    bool m_syncingScrollBar = false;
};

} // namespace saccade
