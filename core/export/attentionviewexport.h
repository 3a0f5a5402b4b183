#pragma once

#include "core/inference/attentionanalysis.h"
#include "core/inference/overlayrenderer.h"
#include "core/inference/windowresult.h"
#include "core/media/clipsampler.h"
#include "core/util/cancellationtoken.h"
#include "core/util/result.h"

#include <QImage>
#include <QJsonObject>
#include <QSize>
#include <QString>

#include <functional>
#include <map>
#include <vector>

namespace saccade {

/// Where the arrays of a window came from, for the attention.json sidecar.
struct AttentionProvenance {
    /// The model as given (file, folder, "demo").
    QString model;
    /// "sha256:<hex>" of the weights, or empty.
    QString modelHash;
    QString videoPath;
    /// PreprocessPreset::fingerprint() or its name.
    QString preset;
    int windowIndex = -1;
};

/// Which map of a window the view draws and how.
struct AttentionViewSpec {
    /// The rollout (T, Hp, Wp) stored with the window instead of one layer's spatial cls maps.
    bool rollout = false;
    /// Layer of the spatial maps, -1 for the last.
    int layer = -1;
    HeadSelection heads;
    /// Share of the lowest entries of the drawn map set to zero (raw maps only; the stored rollout
    /// already has its own).
    double discardRatio = 0.0;
    OverlayStyle style;
};

/// One (rows x columns) map of a sampled frame, row-major.
struct GridMap {
    std::vector<float> values;
    int rows = 0;
    int columns = 0;
};

/// Burned-in video export settings.
struct OverlayVideoOptions {
    /// The output fits in this many pixels on its long side (never enlarged); sizes are made even.
    int maxLongSide = 1920;
    bool timecode = true;
    int crf = 20;
    QString encoderPreset = QStringLiteral("veryfast");
};

/// Exports what the attention view shows: one frame as a PNG, the whole video with the overlay burned
/// in, and a window's raw arrays (FORMATS.md, "Attention export"). The overlay of a frame is the map
/// of the window under it (the one whose centre is closest, as the player shows) at the sampled frame
/// nearest to it. Pure functions for worker threads; nothing here touches widgets.
class AttentionViewExport {
public:
    /// The sampled frame of `window` nearest `frame` (the earlier one on ties); -1 without frames.
    static int nearestSample(const WindowResult& window, qint64 frame);
    /// The map `spec` selects for sampled frame `t` of `window`.
    static Result<GridMap> selectMap(const WindowResult& window, const AttentionViewSpec& spec, int t);
    /// `map` drawn as a transparent image of `imageSize` over the window's frame, inside its attention
    /// crop box (see OverlayRenderer::render).
    static QImage overlay(const WindowResult& window, const GridMap& map, QSize imageSize,
                          const OverlayStyle& style);
    /// The analysed window whose overlay `frame` shows: among `windows` (the analysis plan), the one
    /// under `frame` when `results` has it; null otherwise.
    static const WindowResult* windowFor(const std::vector<ClipWindow>& windows,
                                         const std::map<int, WindowResult>& results, qint64 frame);
    /// "HH:MM:SS.mmm" of `frame` at `fps`.
    static QString timecode(qint64 frame, double fps);
    /// Draws the timecode, the frame number and (when given) the window's top class in the lower left.
    static void drawCaption(QImage& image, qint64 frame, double fps, const WindowResult* window);

    /// Writes frame `frame` of `videoPath` at the window's frame size with `map` drawn over it as a PNG.
    static Status writeFramePng(const QString& videoPath, qint64 frame, const WindowResult& window,
                                const GridMap& map, const OverlayStyle& style, const QString& outputPath,
                                const CancellationToken& cancel = {});

    /// Encodes every frame of `videoPath` with its overlay (frames no analysed window covers are
    /// written without one) and a timecode, as H.264 at the source frame rate. The file appears only
    /// when complete. `progress` receives the fraction of frames done.
    static Status writeOverlayVideo(const QString& videoPath, const std::vector<ClipWindow>& windows,
                                    const std::map<int, WindowResult>& results, const AttentionViewSpec& spec,
                                    const QString& outputPath, const OverlayVideoOptions& options = {},
                                    const CancellationToken& cancel = {},
                                    const std::function<void(double)>& progress = {});

    /// The attention.json sidecar of `window`: model, model hash, video, preset, window frames, frame
    /// size and crop boxes, top class, and which arrays were written.
    static QJsonObject sidecar(const WindowResult& window, const AttentionProvenance& provenance);
    /// Writes spatial.npy (L, A, T, Hp, Wp), temporal.npy (L, A, N, T, T), rollout.npy (T, Hp, Wp) (those
    /// the window has) and attention.json into `directory`, all or nothing. `extra` is merged into
    /// the sidecar (e.g. the overlay settings). Returns the file names written.
    static Result<QStringList> writeArrays(const QString& directory, const WindowResult& window,
                                           const AttentionProvenance& provenance,
                                           const QJsonObject& extra = {});
};

} // namespace saccade
