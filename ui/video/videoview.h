#pragma once

#include "core/inference/overlayrenderer.h"

#include <QImage>
#include <QPointF>
#include <QRectF>
#include <QVector>
#include <QWidget>

namespace saccade {

/// Paints the current video frame with its display aspect ratio (sample aspect ratio applied),
/// zoomed and panned, with an attention heat map drawn into the model's crop box, the crop box
/// outlines, and a small HUD (frame number and timecode). Dumb: setters plus intent signals.
/// Frame coordinates are pixels of the coded frame (setFrameGeometry), whatever size the image has.
class VideoView : public QWidget {
    Q_OBJECT
public:
    static constexpr double kMinZoom = 0.1;
    static constexpr double kMaxZoom = 32.0;

    explicit VideoView(QWidget* parent = nullptr);

    /// The coded frame size and its sample (pixel) aspect ratio; the image may be any size.
    void setFrameGeometry(const QSize& frameSize, double sampleAspectRatio);
    QSize frameSize() const { return m_frameSize; }
    double sampleAspectRatio() const { return m_sampleAspectRatio; }

    /// Shows a frame. If no frame geometry was set, the image's own size with square pixels is used.
    void setImage(const QImage& image);
    const QImage& image() const { return m_image; }
    /// Back to the empty state with `placeholder` text.
    void clear(const QString& placeholder = QString());

    /// An RGBA heat map stretched over `cropBoxInFrame`; a null image removes it.
    void setOverlay(const QImage& heatMap, const QRectF& cropBoxInFrame);
    const QImage& overlay() const { return m_overlay; }
    const QVector<QRectF>& cropBoxes() const { return m_cropBoxes; }
    /// A patch-grid attention map (`rows` x `columns`, row-major) coloured with `colormap` over
    /// `boxInFrame`, rendered at the device size it is drawn at (the fast path of the live overlay;
    /// replaces any image overlay). overlay() then holds the map at one pixel per patch.
    void setOverlayMap(const std::vector<float>& map, int rows, int columns, const QRectF& boxInFrame,
                       Colormap colormap);
    void setOverlayOpacity(double opacity);
    double overlayOpacity() const { return m_overlayOpacity; }
    void setOverlayVisible(bool visible);
    bool isOverlayVisible() const { return m_overlayVisible; }
    /// The model's crop boxes in frame coordinates, drawn as outlines.
    void setCropBoxes(const QVector<QRectF>& boxesInFrame);

    void setHudText(const QString& text);
    /// A second HUD line (which sampled frame the overlay shows); empty hides it.
    void setHudNote(const QString& note);
    const QString& hudNote() const { return m_hudNote; }
    /// Outlines a patch (frame coordinates) picked on the frame; an empty rect removes it.
    void setHighlightedPatch(const QRectF& patchInFrame);
    const QRectF& highlightedPatch() const { return m_highlightedPatch; }
    void setHudVisible(bool visible);
    bool isHudVisible() const { return m_hudVisible; }

    /// 1.0 is fit-to-window; the zoom is relative to that.
    double zoom() const { return m_zoom; }
    void setZoom(double zoom);
    void zoomIn();
    void zoomOut();
    void fitToWindow();

    /// Where the frame is drawn, in widget (logical) pixels.
    QRectF imageRect() const;
    /// Maps frame coordinates to widget coordinates and back.
    QPointF frameToWidget(const QPointF& framePoint) const;
    QPointF widgetToFrame(const QPointF& widgetPoint) const;
    QRectF frameToWidget(const QRectF& frameRect) const;
    /// The image size, in device pixels, that would be drawn without scaling (what to decode to).
    QSize idealImageSize() const;

    QSize sizeHint() const override;

Q_SIGNALS:
    /// Plain wheel over the picture: step this many frames (negative is backwards).
    void stepRequested(int frames);
    /// A click on the picture at this frame position (used to pick an attention patch).
    void framePointClicked(QPointF framePoint);
    void zoomChanged(double zoom);
    /// idealImageSize() changed (resize, zoom, screen change).
    void idealImageSizeChanged(QSize size);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;

private:
    QSizeF displaySize() const;
    QRectF fitRect() const;
    void zoomAround(double zoom, const QPointF& anchor);
    void clampPan();
    void notifyIdealSize();
    void paintOverlay(QPainter& painter);
    void paintHud(QPainter& painter);

    QImage m_image;
    QSize m_frameSize;
    double m_sampleAspectRatio = 1.0;
    bool m_explicitGeometry = false;
    QString m_placeholder;

    QImage m_overlay;
    QRectF m_overlayBox;
    QImage m_overlayScaled; // m_overlay resampled to the device size it was last drawn at
    double m_overlayScaledOpacity = -1.0;
    // The map of setOverlayMap(); empty when the overlay is an image.
    std::vector<float> m_overlayMap;
    int m_overlayMapRows = 0;
    int m_overlayMapColumns = 0;
    Colormap m_overlayColormap = Colormap::Viridis;
    QRectF m_highlightedPatch;
    QString m_hudNote;
    double m_overlayOpacity = 0.5;
    bool m_overlayVisible = true;
    QVector<QRectF> m_cropBoxes;

    QString m_hudText;
    bool m_hudVisible = true;

    double m_zoom = 1.0;
    QPointF m_pan;
    QPointF m_dragOrigin;
    QPointF m_panAtDragStart;
    bool m_dragging = false;
    bool m_dragMoved = false;
    QSize m_lastIdealSize;
};

} // namespace saccade
