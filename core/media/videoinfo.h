#pragma once

#include <QMetaType>
#include <QSize>
#include <QString>

namespace saccade {

/// What a probe learns about a file's video stream. A plain value: copy it freely across threads.
struct VideoInfo {
    QString path;
    /// Demuxer name as FFmpeg reports it, e.g. "matroska,webm" or "mov,mp4,m4a,3gp,3g2,mj2".
    QString container;
    /// Decoder name, e.g. "h264", "hevc", "vp9".
    QString codec;
    /// Coded picture size in pixels, before sample aspect ratio and rotation.
    int width = 0;
    int height = 0;
    int sampleAspectNum = 1;
    int sampleAspectDen = 1;
    /// Clockwise rotation that displays the picture upright: 0, 90, 180 or 270.
    int rotationDegrees = 0;
    /// Average frame rate (frames per second); 0 when unknown.
    double fps = 0.0;
    int timeBaseNum = 0;
    int timeBaseDen = 1;
    double durationSeconds = 0.0;
    QString pixelFormat;
    int bitDepth = 8;
    /// Number of frames in presentation order. Exact when counted from the packets of the stream,
    /// otherwise estimated as duration * fps.
    qint64 frameCount = 0;
    bool frameCountExact = false;
    /// Index of the video stream inside the container.
    int streamIndex = -1;

    double sampleAspectRatio() const {
        return sampleAspectNum > 0 && sampleAspectDen > 0 ? double(sampleAspectNum) / sampleAspectDen : 1.0;
    }
    /// Size the picture is shown at: width stretched by the sample aspect ratio, then rotated.
    QSize displaySize() const {
        const int displayWidth = qMax(1, qRound(width * sampleAspectRatio()));
        const bool swap = rotationDegrees == 90 || rotationDegrees == 270;
        return swap ? QSize(height, displayWidth) : QSize(displayWidth, height);
    }
};

} // namespace saccade

Q_DECLARE_METATYPE(saccade::VideoInfo)
