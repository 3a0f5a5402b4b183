#include "core/media/frameconverter.h"

#include "core/media/ffmpeg.h"

#include <QTransform>

#include <algorithm>
#include <cmath>

namespace saccade {

namespace {

bool isQuarterTurn(int degrees) {
    return degrees == 90 || degrees == 270;
}

QSize transposedIf(QSize size, bool transpose) {
    return transpose ? size.transposed() : size;
}

// swscale wants the "J" (full range) formats spelled as their limited-range twins plus a range flag.
AVPixelFormat withoutFullRangeAlias(AVPixelFormat format, bool& fullRange) {
    switch (format) {
    case AV_PIX_FMT_YUVJ420P:
        fullRange = true;
        return AV_PIX_FMT_YUV420P;
    case AV_PIX_FMT_YUVJ422P:
        fullRange = true;
        return AV_PIX_FMT_YUV422P;
    case AV_PIX_FMT_YUVJ444P:
        fullRange = true;
        return AV_PIX_FMT_YUV444P;
    case AV_PIX_FMT_YUVJ440P:
        fullRange = true;
        return AV_PIX_FMT_YUV440P;
    default:
        return format;
    }
}

int swsColorspace(AVColorSpace space) {
    switch (space) {
    case AVCOL_SPC_BT709:
        return SWS_CS_ITU709;
    case AVCOL_SPC_BT2020_NCL:
    case AVCOL_SPC_BT2020_CL:
        return SWS_CS_BT2020;
    case AVCOL_SPC_SMPTE240M:
        return SWS_CS_SMPTE240M;
    case AVCOL_SPC_FCC:
        return SWS_CS_FCC;
    default:
        return SWS_CS_DEFAULT;
    }
}

} // namespace

namespace {

// A cached swscale context, rebuilt (and its colour tables set, which is costly) only when its key changes.
struct Scaler {
    struct Key {
        int width = 0;
        int height = 0;
        int format = -1;
        QSize target;
        int outFormat = -1;
        int flags = 0;
        int colorspace = -1;
        bool fullRange = false;
        bool operator==(const Key& other) const {
            return width == other.width && height == other.height && format == other.format &&
                   target == other.target && outFormat == other.outFormat && flags == other.flags &&
                   colorspace == other.colorspace && fullRange == other.fullRange;
        }
    };

    SwsContext* context = nullptr;
    Key key;

    Scaler() = default;
    Scaler(const Scaler&) = delete;
    Scaler& operator=(const Scaler&) = delete;
    ~Scaler() { sws_freeContext(context); }

    SwsContext* prepare(const Key& wanted) {
        if (context && wanted == key)
            return context;
        sws_freeContext(context);
        context = sws_getContext(wanted.width, wanted.height, AVPixelFormat(wanted.format),
                                 wanted.target.width(), wanted.target.height(),
                                 AVPixelFormat(wanted.outFormat), wanted.flags, nullptr, nullptr, nullptr);
        if (!context)
            return nullptr;
        const int* coefficients = sws_getCoefficients(wanted.colorspace);
        // YUV to YUV keeps the range; YUV to RGB expands it. Fails harmlessly for RGB sources.
        const bool toRgb = wanted.outFormat == AV_PIX_FMT_RGB24;
        sws_setColorspaceDetails(context, coefficients, wanted.fullRange ? 1 : 0,
                                 toRgb ? sws_getCoefficients(SWS_CS_DEFAULT) : coefficients,
                                 toRgb ? 1 : (wanted.fullRange ? 1 : 0), 0, 1 << 16, 1 << 16);
        key = wanted;
        return context;
    }
};

} // namespace

struct FrameConverter::Private {
    Scaler toRgb;
    // Shrinking 4:2:0 video first scales the planes as they are, then converts the small picture to RGB:
    // cheaper than scaling straight to RGB, which filters chroma at the output's full resolution.
    Scaler shrink;
    std::vector<uint8_t> shrunk;
};

FrameConverter::FrameConverter() : d(std::make_unique<Private>()) {}
FrameConverter::~FrameConverter() = default;
FrameConverter::FrameConverter(FrameConverter&&) noexcept = default;
FrameConverter& FrameConverter::operator=(FrameConverter&&) noexcept = default;

namespace {

// swscale's packed-RGB writers store whole machine words and can run a few bytes past the last pixel
// of the last line, so the buffer gets padding (rows 32-byte aligned, 64 bytes spare at the end).
constexpr int kPaddingBytes = 64;

QImage paddedRgbImage(QSize size) {
    const qsizetype stride = (qsizetype(size.width()) * 3 + 31) & ~qsizetype(31);
    auto* buffer = static_cast<uchar*>(av_malloc(size_t(stride) * size_t(size.height()) + kPaddingBytes));
    if (!buffer)
        return QImage();
    return QImage(
        buffer, size.width(), size.height(), stride, QImage::Format_RGB888, [](void* data) { av_free(data); },
        buffer);
}

} // namespace

Result<QImage> FrameConverter::scale(const VideoFrame& frame, QSize codedTarget, int flags) {
    const AVFrame* source = frame.planes.get();
    if (!source || source->width <= 0 || source->height <= 0)
        return Error::invalidArgument(QStringLiteral("frame %1 has no pixels to convert").arg(frame.index));
    if (codedTarget.width() <= 0 || codedTarget.height() <= 0)
        return Error::invalidArgument(QStringLiteral("cannot convert to an empty size"));
    bool fullRange = source->color_range == AVCOL_RANGE_JPEG;
    const AVPixelFormat format = withoutFullRangeAlias(AVPixelFormat(source->format), fullRange);
    const int colorspace = swsColorspace(source->colorspace);
    const auto unsupported = [format] {
        return Error::unsupported({}, QStringLiteral("cannot convert pixel format %1 to RGB")
                                          .arg(QString::fromUtf8(av_get_pix_fmt_name(format))));
    };
    QImage image = paddedRgbImage(codedTarget);
    if (image.isNull())
        return Error{ErrorCategory::Internal,
                     QStringLiteral("out of memory for a %1x%2 image")
                         .arg(codedTarget.width())
                         .arg(codedTarget.height()),
                     {}};
    uint8_t* destination[4] = {image.bits(), nullptr, nullptr, nullptr};
    const int destinationStride[4] = {int(image.bytesPerLine()), 0, 0, 0};

    const bool twoStage = format == AV_PIX_FMT_YUV420P && !(flags & SWS_ACCURATE_RND) &&
                          codedTarget.width() < source->width && codedTarget.height() < source->height;
    if (twoStage) {
        SwsContext* shrink = d->shrink.prepare({source->width, source->height, format, codedTarget,
                                                AV_PIX_FMT_YUV420P, flags, colorspace, fullRange});
        if (!shrink)
            return unsupported();
        uint8_t* planes[4] = {};
        int linesizes[4] = {};
        const int size =
            av_image_get_buffer_size(AV_PIX_FMT_YUV420P, codedTarget.width(), codedTarget.height(), 32);
        if (size <= 0)
            return unsupported();
        d->shrunk.resize(size_t(size) + kPaddingBytes);
        av_image_fill_arrays(planes, linesizes, d->shrunk.data(), AV_PIX_FMT_YUV420P, codedTarget.width(),
                             codedTarget.height(), 32);
        sws_scale(shrink, source->data, source->linesize, 0, source->height, planes, linesizes);
        SwsContext* convert = d->toRgb.prepare({codedTarget.width(), codedTarget.height(), AV_PIX_FMT_YUV420P,
                                                codedTarget, AV_PIX_FMT_RGB24, flags, colorspace, fullRange});
        if (!convert)
            return unsupported();
        sws_scale(convert, planes, linesizes, 0, codedTarget.height(), destination, destinationStride);
        return image;
    }
    SwsContext* context = d->toRgb.prepare(
        {source->width, source->height, format, codedTarget, AV_PIX_FMT_RGB24, flags, colorspace, fullRange});
    if (!context)
        return unsupported();
    sws_scale(context, source->data, source->linesize, 0, source->height, destination, destinationStride);
    return image;
}

Result<QImage> FrameConverter::toImage(const VideoFrame& frame, QSize bounds) {
    const QSize coded = frame.planeSize();
    if (!coded.isValid())
        return Error::invalidArgument(QStringLiteral("frame %1 has no pixels to convert").arg(frame.index));
    const double aspect = frame.sampleAspectRatio > 0.0 ? frame.sampleAspectRatio : 1.0;
    const bool turn = isQuarterTurn(frame.rotationDegrees);
    const QSize display =
        transposedIf(QSize(std::max(1, int(std::lround(coded.width() * aspect))), coded.height()), turn);
    const QSize target = bounds.isEmpty() ? display : fitInside(display, bounds);
    return toImageOfSize(frame, target);
}

Result<QImage> FrameConverter::toImageOfSize(const VideoFrame& frame, QSize size) {
    auto image = scale(frame, transposedIf(size, isQuarterTurn(frame.rotationDegrees)), SWS_BILINEAR);
    if (!image)
        return image;
    return rotated(*image, frame.rotationDegrees);
}

Result<FloatPlanes> FrameConverter::toFloatPlanes(const VideoFrame& frame, QSize size, ResizeFilter filter) {
    if (size.width() <= 0 || size.height() <= 0)
        return Error::invalidArgument(QStringLiteral("cannot convert to an empty size"));
    constexpr int kExactFlags = SWS_BILINEAR | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT | SWS_FULL_CHR_H_INP;
    if (filter == ResizeFilter::BilinearNoAntialias) {
        auto full = scale(frame, frame.planeSize(), kExactFlags);
        if (!full)
            return full.error();
        return resizeBilinear(rotated(*full, frame.rotationDegrees), size);
    }
    // swscale's bilinear widens its kernel when shrinking: an antialiased bilinear.
    auto scaled = scale(frame, transposedIf(size, isQuarterTurn(frame.rotationDegrees)), kExactFlags);
    if (!scaled)
        return scaled.error();
    return toPlanes(rotated(*scaled, frame.rotationDegrees));
}

QSize FrameConverter::fitInside(QSize displaySize, QSize bounds) {
    if (displaySize.isEmpty() || bounds.isEmpty())
        return QSize(1, 1);
    const double scale = std::min(double(bounds.width()) / displaySize.width(),
                                  double(bounds.height()) / displaySize.height());
    return QSize(std::clamp(int(std::lround(displaySize.width() * scale)), 1, bounds.width()),
                 std::clamp(int(std::lround(displaySize.height() * scale)), 1, bounds.height()));
}

QSize FrameConverter::scaledToShortSide(QSize size, int shortSide) {
    if (size.isEmpty() || shortSide <= 0)
        return QSize();
    const bool wide = size.width() >= size.height();
    const int shorter = wide ? size.height() : size.width();
    const int longer = wide ? size.width() : size.height();
    const int scaledLonger = std::max(2, int(std::lround(double(longer) * shortSide / shorter / 2.0)) * 2);
    return wide ? QSize(scaledLonger, shortSide) : QSize(shortSide, scaledLonger);
}

FloatPlanes FrameConverter::resizeBilinear(const QImage& rgb, QSize size) {
    const QImage image =
        rgb.format() == QImage::Format_RGB888 ? rgb : rgb.convertToFormat(QImage::Format_RGB888);
    FloatPlanes out;
    out.width = size.width();
    out.height = size.height();
    const int inWidth = image.width();
    const int inHeight = image.height();
    if (out.width <= 0 || out.height <= 0 || inWidth <= 0 || inHeight <= 0) {
        out.width = out.height = 0;
        return out;
    }
    out.values.resize(size_t(3) * out.height * out.width);
    // Source coordinates as torch computes them for align_corners=False, in float like its CPU kernel.
    struct Tap {
        int first = 0;
        int second = 0;
        float weightSecond = 0.0f;
    };
    auto taps = [](int inSize, int outSize) {
        std::vector<Tap> result(static_cast<size_t>(outSize));
        const float scale = float(inSize) / float(outSize);
        for (int i = 0; i < outSize; ++i) {
            const float source = std::max(scale * (float(i) + 0.5f) - 0.5f, 0.0f);
            Tap& tap = result[size_t(i)];
            tap.first = std::min(int(source), inSize - 1);
            tap.second = tap.first < inSize - 1 ? tap.first + 1 : tap.first;
            tap.weightSecond = source - float(tap.first);
        }
        return result;
    };
    const std::vector<Tap> columns = taps(inWidth, out.width);
    const std::vector<Tap> rows = taps(inHeight, out.height);
    const size_t plane = size_t(out.height) * out.width;
    constexpr float kScale = 1.0f / 255.0f;
    for (int y = 0; y < out.height; ++y) {
        const Tap& row = rows[size_t(y)];
        const uchar* top = image.constScanLine(row.first);
        const uchar* bottom = image.constScanLine(row.second);
        const float bottomWeight = row.weightSecond;
        const float topWeight = 1.0f - bottomWeight;
        for (int x = 0; x < out.width; ++x) {
            const Tap& column = columns[size_t(x)];
            const float rightWeight = column.weightSecond;
            const float leftWeight = 1.0f - rightWeight;
            for (int c = 0; c < 3; ++c) {
                const float topLeft = top[column.first * 3 + c] * kScale;
                const float topRight = top[column.second * 3 + c] * kScale;
                const float bottomLeft = bottom[column.first * 3 + c] * kScale;
                const float bottomRight = bottom[column.second * 3 + c] * kScale;
                out.values[size_t(c) * plane + size_t(y) * out.width + size_t(x)] =
                    topWeight * (leftWeight * topLeft + rightWeight * topRight) +
                    bottomWeight * (leftWeight * bottomLeft + rightWeight * bottomRight);
            }
        }
    }
    return out;
}

FloatPlanes FrameConverter::toPlanes(const QImage& rgb) {
    const QImage image =
        rgb.format() == QImage::Format_RGB888 ? rgb : rgb.convertToFormat(QImage::Format_RGB888);
    FloatPlanes out;
    out.width = image.width();
    out.height = image.height();
    const size_t plane = size_t(out.height) * out.width;
    out.values.resize(3 * plane);
    for (int y = 0; y < out.height; ++y) {
        const uchar* line = image.constScanLine(y);
        for (int x = 0; x < out.width; ++x) {
            for (int c = 0; c < 3; ++c)
                out.values[size_t(c) * plane + size_t(y) * out.width + size_t(x)] = line[x * 3 + c] / 255.0f;
        }
    }
    return out;
}

QImage FrameConverter::rotated(const QImage& image, int degrees) {
    if (degrees % 360 == 0)
        return image;
    // Qt turns images by exact quarter turns without interpolation.
    return image.transformed(QTransform().rotate(degrees));
}

} // namespace saccade
