#pragma once

#include <QImage>
#include <QRect>
#include <QSize>
#include <QString>
#include <QStringList>

#include <array>
#include <optional>
#include <utility>
#include <vector>

namespace saccade {

enum class Colormap { Viridis = 1, Inferno, Jet, Grey };

/// "viridis", "inferno", "jet", "grey".
QString colormapName(Colormap colormap);
std::optional<Colormap> parseColormap(const QString& name);
QStringList colormapNames();

struct OverlayStyle {
    Colormap colormap = Colormap::Viridis;
    /// Alpha of the coloured map over the frame, 0..1.
    double opacity = 0.5;
};

/// Turns a patch-grid attention map into a picture over the video frame. Pure functions, any thread
/// (the inference worker renders on its own thread).
class OverlayRenderer {
public:
    /// The colour of `value` in [0, 1] (clamped).
    static QRgb colorAt(Colormap colormap, double value);

    /// A transparent ARGB32 (premultiplied) image of `imageSize` showing the `gridHeight` x `gridWidth`
    /// map (row-major) over `cropBox`, which is given in frame coordinates of a `frameSize` frame: the
    /// map is scaled to [0, 1] by its minimum and maximum, upsampled bilinearly (pixel centres,
    /// align_corners=False) into the crop box and mapped from frame to image coordinates. Pixels
    /// outside the crop box stay transparent.
    static QImage render(const std::vector<float>& map, int gridHeight, int gridWidth, QSize frameSize,
                         const QRect& cropBox, QSize imageSize, const OverlayStyle& style);

    /// 256 premultiplied colours of `colormap` at `opacity` (0..1): entry i is the colour of i / 255.
    static std::array<QRgb, 256> lookupTable(Colormap colormap, double opacity);

    /// The smallest and largest finite values of `map` ({0, 0} when it has none).
    static std::pair<float, float> valueRange(const std::vector<float>& map);

    /// The fast path of the live overlay: `map` (`rows` x `columns`, row-major) covering all of an
    /// ARGB32-premultiplied image of `imageSize`, upsampled bilinearly (pixel centres,
    /// align_corners=False), scaled to [0, 1] by `low`..`high` and coloured through `lookupTable`.
    static QImage renderMap(const std::vector<float>& map, int rows, int columns, QSize imageSize,
                            const std::array<QRgb, 256>& table, float low, float high);

    /// `frame` (any format) with `overlay` drawn over it, as RGB888 of the frame's size.
    static QImage composite(const QImage& frame, const QImage& overlay);
};

} // namespace saccade
