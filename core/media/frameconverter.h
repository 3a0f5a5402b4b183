#pragma once

#include "core/media/videoframe.h"
#include "core/util/result.h"

#include <QImage>
#include <QSize>

#include <memory>
#include <vector>

namespace saccade {

/// How frames are shrunk or enlarged for the model.
enum class ResizeFilter {
    /// Plain 2-tap bilinear without antialiasing, identical to
    /// torch.nn.functional.interpolate(mode="bilinear", align_corners=False) (the research preset).
    BilinearNoAntialias = 1,
    /// Bilinear whose kernel widens when shrinking, so every source pixel contributes (the HF preset).
    BilinearAntialias,
};

/// Planar float RGB pixels in [0, 1], channel-major: value(c, y, x) = values[(c * height + y) * width + x].
struct FloatPlanes {
    int channels = 3;
    int height = 0;
    int width = 0;
    std::vector<float> values;
};

/// Turns decoded frames into upright RGB pixels (swscale plus exact quarter-turn rotation).
/// A plain object for worker threads: it caches a scaler context, so use one instance per thread.
class FrameConverter {
public:
    FrameConverter();
    ~FrameConverter();
    FrameConverter(FrameConverter&&) noexcept;
    FrameConverter& operator=(FrameConverter&&) noexcept;

    /// An upright RGB888 image that fits inside `bounds` with the display aspect ratio kept (sample
    /// aspect ratio and rotation applied). An empty `bounds` gives the full display size.
    Result<QImage> toImage(const VideoFrame& frame, QSize bounds = {});
    /// An upright RGB888 image of exactly `size` (aspect not kept).
    Result<QImage> toImageOfSize(const VideoFrame& frame, QSize size);
    /// Upright float RGB planes of exactly `size` (coded pixels, rotation applied), resized with `filter`.
    Result<FloatPlanes> toFloatPlanes(const VideoFrame& frame, QSize size, ResizeFilter filter);

    /// The largest size with `displaySize`'s aspect ratio that fits in `bounds` (at least 1x1).
    static QSize fitInside(QSize displaySize, QSize bounds);
    /// `size` scaled so its shorter side is `shortSide`, the other side rounded to an even number.
    static QSize scaledToShortSide(QSize size, int shortSide);
    /// Plain 2-tap bilinear resize (align_corners=False, no antialias) of an RGB888 image to floats.
    static FloatPlanes resizeBilinear(const QImage& rgb, QSize size);
    /// Converts an RGB888 image to float planes without resizing.
    static FloatPlanes toPlanes(const QImage& rgb);
    /// Turns `image` clockwise by `degrees` (a multiple of 90) exactly, without resampling.
    static QImage rotated(const QImage& image, int degrees);

private:
    Result<QImage> scale(const VideoFrame& frame, QSize codedTarget, int flags);

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace saccade
