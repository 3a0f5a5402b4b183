#pragma once

#include <QImage>
#include <QMetaType>

#include <memory>

struct AVFrame;

namespace saccade {

/// One decoded picture: its frame number in presentation order, its time, and its pixels either as
/// the decoder's planes (shared, reference-counted, read-only) or as a converted QImage (implicitly
/// shared), or both. Cheap to copy; safe to pass over queued signals once decoding has handed it out.
struct VideoFrame {
    /// Frame number in presentation order (0-based), -1 for an empty frame.
    qint64 index = -1;
    double ptsSeconds = 0.0;
    /// Request generation the frame answers (playback drops frames of superseded requests).
    quint64 generation = 0;
    /// Clockwise rotation still to apply for display (0, 90, 180, 270); QImages in `image` are upright.
    int rotationDegrees = 0;
    /// Width of a pixel relative to its height (the container's or the bitstream's sample aspect ratio).
    double sampleAspectRatio = 1.0;
    /// True when the decoder concealed errors in this picture.
    bool damaged = false;
    /// Converted pixels, upright and display-sized; null until a FrameConverter fills it.
    QImage image;
    /// The decoder's planes (a new reference to its buffers), for conversion on worker threads.
    std::shared_ptr<const AVFrame> planes;

    bool isValid() const { return index >= 0; }
    /// Coded size of `planes` (before rotation), or an invalid size without planes.
    QSize planeSize() const;
};

} // namespace saccade

Q_DECLARE_METATYPE(saccade::VideoFrame)
