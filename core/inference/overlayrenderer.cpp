#include "core/inference/overlayrenderer.h"

#include <QPainter>

#include <algorithm>
#include <array>
#include <cmath>

namespace saccade {

namespace {

using Stops = std::array<std::array<int, 3>, 9>;

// Matplotlib's viridis and inferno sampled at 0, 1/8, ..., 1 (interpolated linearly in between).
constexpr Stops kViridis = {{{68, 1, 84},
                             {71, 44, 122},
                             {59, 81, 139},
                             {44, 113, 142},
                             {33, 144, 141},
                             {39, 173, 129},
                             {92, 200, 99},
                             {170, 220, 50},
                             {253, 231, 37}}};
constexpr Stops kInferno = {{{0, 0, 4},
                             {31, 12, 72},
                             {85, 15, 109},
                             {136, 34, 106},
                             {186, 54, 85},
                             {227, 89, 51},
                             {249, 140, 10},
                             {249, 201, 50},
                             {252, 255, 164}}};

QRgb fromStops(const Stops& stops, double value) {
    const double position = value * (stops.size() - 1);
    const auto low = std::min<size_t>(static_cast<size_t>(position), stops.size() - 2);
    const double weight = position - static_cast<double>(low);
    int channels[3];
    for (int c = 0; c < 3; ++c)
        channels[c] =
            static_cast<int>(std::lround(stops[low][c] * (1.0 - weight) + stops[low + 1][c] * weight));
    return qRgb(channels[0], channels[1], channels[2]);
}

int unitToByte(double value) {
    return static_cast<int>(std::lround(std::clamp(value, 0.0, 1.0) * 255.0));
}

} // namespace

QString colormapName(Colormap colormap) {
    switch (colormap) {
    case Colormap::Viridis:
        return QStringLiteral("viridis");
    case Colormap::Inferno:
        return QStringLiteral("inferno");
    case Colormap::Jet:
        return QStringLiteral("jet");
    case Colormap::Grey:
        return QStringLiteral("grey");
    }
    return {};
}

std::optional<Colormap> parseColormap(const QString& name) {
    for (Colormap colormap : {Colormap::Viridis, Colormap::Inferno, Colormap::Jet, Colormap::Grey})
        if (colormapName(colormap) == name)
            return colormap;
    return std::nullopt;
}

QStringList colormapNames() {
    return {QStringLiteral("viridis"), QStringLiteral("inferno"), QStringLiteral("jet"),
            QStringLiteral("grey")};
}

QRgb OverlayRenderer::colorAt(Colormap colormap, double value) {
    const double v = std::isfinite(value) ? std::clamp(value, 0.0, 1.0) : 0.0;
    switch (colormap) {
    case Colormap::Viridis:
        return fromStops(kViridis, v);
    case Colormap::Inferno:
        return fromStops(kInferno, v);
    case Colormap::Jet:
        return qRgb(unitToByte(1.5 - std::abs(4.0 * v - 3.0)), unitToByte(1.5 - std::abs(4.0 * v - 2.0)),
                    unitToByte(1.5 - std::abs(4.0 * v - 1.0)));
    case Colormap::Grey:
        return qRgb(unitToByte(v), unitToByte(v), unitToByte(v));
    }
    return qRgb(0, 0, 0);
}

QImage OverlayRenderer::render(const std::vector<float>& map, int gridHeight, int gridWidth, QSize frameSize,
                               const QRect& cropBox, QSize imageSize, const OverlayStyle& style) {
    QImage image(imageSize, QImage::Format_ARGB32_Premultiplied);
    if (image.isNull())
        return image;
    image.fill(Qt::transparent);
    if (gridHeight <= 0 || gridWidth <= 0 || map.size() != static_cast<size_t>(gridHeight) * gridWidth ||
        frameSize.isEmpty() || cropBox.isEmpty())
        return image;
    const auto [low, high] = std::minmax_element(map.begin(), map.end());
    const double range = *high - *low;
    const double sx = double(imageSize.width()) / frameSize.width();
    const double sy = double(imageSize.height()) / frameSize.height();
    const int alpha = unitToByte(style.opacity);
    const QRect target =
        QRect(QPoint(int(std::floor(cropBox.left() * sx)), int(std::floor(cropBox.top() * sy))),
              QPoint(int(std::ceil((cropBox.right() + 1) * sx)) - 1,
                     int(std::ceil((cropBox.bottom() + 1) * sy)) - 1))
            .intersected(image.rect());
    auto sample = [&](double position, int cells, int& first, int& second, double& weight) {
        // Pixel-centre mapping of a `cells`-wide grid (align_corners=False), edges clamped.
        const double cell = std::clamp(position * cells - 0.5, 0.0, double(cells - 1));
        first = static_cast<int>(std::floor(cell));
        second = std::min(first + 1, cells - 1);
        weight = cell - first;
    };
    for (int y = target.top(); y <= target.bottom(); ++y) {
        // Centre of image pixel y in frame coordinates, then relative to the crop box.
        const double v = ((y + 0.5) / sy - cropBox.top()) / cropBox.height();
        if (v < 0.0 || v > 1.0)
            continue;
        int r0 = 0, r1 = 0;
        double wy = 0.0;
        sample(v, gridHeight, r0, r1, wy);
        auto* line = reinterpret_cast<QRgb*>(image.scanLine(y));
        for (int x = target.left(); x <= target.right(); ++x) {
            const double u = ((x + 0.5) / sx - cropBox.left()) / cropBox.width();
            if (u < 0.0 || u > 1.0)
                continue;
            int c0 = 0, c1 = 0;
            double wx = 0.0;
            sample(u, gridWidth, c0, c1, wx);
            const double top = map[r0 * gridWidth + c0] * (1.0 - wx) + map[r0 * gridWidth + c1] * wx;
            const double bottom = map[r1 * gridWidth + c0] * (1.0 - wx) + map[r1 * gridWidth + c1] * wx;
            const double value = top * (1.0 - wy) + bottom * wy;
            const QRgb color = colorAt(style.colormap, range > 0.0 ? (value - *low) / range : 0.0);
            line[x] = qPremultiply(qRgba(qRed(color), qGreen(color), qBlue(color), alpha));
        }
    }
    return image;
}

std::array<QRgb, 256> OverlayRenderer::lookupTable(Colormap colormap, double opacity) {
    std::array<QRgb, 256> table{};
    const int alpha = unitToByte(opacity);
    for (size_t i = 0; i < table.size(); ++i) {
        const QRgb color = colorAt(colormap, double(i) / 255.0);
        table[i] = qPremultiply(qRgba(qRed(color), qGreen(color), qBlue(color), alpha));
    }
    return table;
}

std::pair<float, float> OverlayRenderer::valueRange(const std::vector<float>& map) {
    bool any = false;
    float low = 0.0f;
    float high = 0.0f;
    for (float value : map) {
        if (!std::isfinite(value))
            continue;
        low = any ? std::min(low, value) : value;
        high = any ? std::max(high, value) : value;
        any = true;
    }
    return {low, high};
}

QImage OverlayRenderer::renderMap(const std::vector<float>& map, int rows, int columns, QSize imageSize,
                                  const std::array<QRgb, 256>& table, float low, float high) {
    QImage image(imageSize, QImage::Format_ARGB32_Premultiplied);
    if (image.isNull())
        return image;
    if (rows <= 0 || columns <= 0 || map.size() != static_cast<size_t>(rows) * columns) {
        image.fill(Qt::transparent);
        return image;
    }
    // Values pre-scaled to lookup-table units, so the inner loop is two lerps and a load.
    const float scale = high > low ? 255.0f / (high - low) : 0.0f;
    std::vector<float> units(map.size());
    for (size_t i = 0; i < map.size(); ++i)
        units[i] = std::isfinite(map[i]) ? std::clamp((map[i] - low) * scale, 0.0f, 255.0f) : 0.0f;
    // Per-column source cells and weights are the same on every line.
    struct Tap {
        int first;
        int second;
        float weight;
    };
    auto taps = [](int pixels, int cells) {
        std::vector<Tap> result(static_cast<size_t>(pixels));
        for (int i = 0; i < pixels; ++i) {
            const double cell = std::clamp((i + 0.5) * cells / double(pixels) - 0.5, 0.0, double(cells - 1));
            const int first = static_cast<int>(cell);
            result[size_t(i)] = {first, std::min(first + 1, cells - 1), float(cell - first)};
        }
        return result;
    };
    const int width = imageSize.width();
    const std::vector<Tap> xTaps = taps(width, columns);
    const std::vector<Tap> yTaps = taps(imageSize.height(), rows);
    // Every map row interpolated across the image width once; each image line is then a lerp of two
    // of them, contiguous and branch-free, so it vectorises.
    std::vector<float> across(static_cast<size_t>(rows) * size_t(width));
    for (int r = 0; r < rows; ++r) {
        const float* row = units.data() + r * columns;
        float* out = across.data() + size_t(r) * size_t(width);
        for (int x = 0; x < width; ++x) {
            const Tap& tx = xTaps[size_t(x)];
            out[x] = row[tx.first] + (row[tx.second] - row[tx.first]) * tx.weight;
        }
    }
    std::vector<int> indices(static_cast<size_t>(width));
    for (int y = 0; y < imageSize.height(); ++y) {
        const Tap& ty = yTaps[size_t(y)];
        const float* top = across.data() + size_t(ty.first) * size_t(width);
        const float* bottom = across.data() + size_t(ty.second) * size_t(width);
        const float weight = ty.weight;
        int* index = indices.data();
        for (int x = 0; x < width; ++x)
            index[x] = static_cast<int>(top[x] + (bottom[x] - top[x]) * weight + 0.5f);
        auto* out = reinterpret_cast<QRgb*>(image.scanLine(y));
        for (int x = 0; x < width; ++x)
            out[x] = table[static_cast<size_t>(index[x])];
    }
    return image;
}

QImage OverlayRenderer::composite(const QImage& frame, const QImage& overlay) {
    QImage result = frame.convertToFormat(QImage::Format_RGB888);
    QPainter painter(&result);
    painter.drawImage(result.rect(), overlay);
    painter.end();
    return result;
}

} // namespace saccade
