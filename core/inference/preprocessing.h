#pragma once

#include "core/media/frameconverter.h"
#include "core/media/videodecoder.h"
#include "core/model/timesformerconfig.h"
#include "core/util/cancellationtoken.h"
#include "core/util/npy.h"
#include "core/util/result.h"

#include <QJsonObject>
#include <QRect>
#include <QSize>
#include <QString>

#include <array>
#include <deque>
#include <vector>

namespace saccade {

/// How frames become the model's input.
enum class ResizeMode {
    /// Short side to `shortSide`, then square crops of `cropSize` (research and HF protocols).
    ShortSideThenCrop = 1,
};

/// A preprocessing preset: temporal sampling, resize, crops, scaling and channel order. Plain value.
struct PreprocessPreset {
    /// "research-k400", "hf" or "demo".
    QString name;
    int numFrames = 8;
    /// Clip span in frames of a `targetFps` video (frames skipped + 1), see ClipSampler::clipSpan.
    int samplingRate = 32;
    double targetFps = 30.0;
    ResizeMode resizeMode = ResizeMode::ShortSideThenCrop;
    int shortSide = 224;
    int cropSize = 224;
    /// 1 (centre crop) or 3 (start, centre, end of the long side); views' logits are summed.
    int views = 1;
    /// The centre offset: ceil((L - S) / 2) in the research code, floor in the HF processor.
    bool centreRoundsUp = true;
    ResizeFilter filter = ResizeFilter::BilinearNoAntialias;
    std::array<float, 3> mean = {0.45f, 0.45f, 0.45f};
    std::array<float, 3> std = {0.225f, 0.225f, 0.225f};
    /// Channel order the model expects (research SSv2 models saw BGR).
    bool bgr = false;

    /// The research test protocol for `config` (sampling rate, frames, size, mean/std, channel order).
    static PreprocessPreset researchK400(const TimeSformerConfig& config);
    /// The HF processor described by a `preprocessor_config.json` object; fields it lacks come from
    /// `config`. `path` names the file in errors.
    static Result<PreprocessPreset> fromHfJson(const QJsonObject& json, const TimeSformerConfig& config,
                                               const QString& path);
    /// The preset named `name` (empty: the one the config names) for a model loaded from
    /// `modelSource`: "hf" reads `preprocessor_config.json` beside the weights when there is one.
    static Result<PreprocessPreset> forModel(const TimeSformerConfig& config, const QString& modelSource,
                                             const QString& name = {});
    static QStringList names();

    /// Every parameter as one line, for cache keys and provenance.
    QString fingerprint() const;
    /// Source frames one clip spans in a video of `fps` frames per second (at least 1).
    qint64 spanFrames(double fps) const;
    /// The size a frame of `frameSize` is resized to before cropping.
    QSize resizedSize(QSize frameSize) const;
    /// Crop rectangles in resized coordinates, one per view.
    std::vector<QRect> cropRects(QSize resizedSize) const;
    /// Crop offsets along a side of `length` for `views` views of `crop` (research: 0, ceil((L-S)/2), L-S).
    static std::vector<int> cropOffsets(int length, int crop, int views, bool centreRoundsUp);
};

/// The model input of one clip: (views, 3, T, S, S) normalised floats and where each crop lies.
struct PreparedClip {
    FloatArray input;
    /// Crop boxes in upright frame pixels, one per view.
    std::vector<QRect> cropBoxes;
    /// Upright frame size the boxes refer to.
    QSize frameSize;
};

/// Seconds spent per stage.
struct StageTimes {
    double decodeS = 0.0;
    double preprocessS = 0.0;
};

/// Builds clips from a decoder's frames. One instance per thread (it owns a frame converter).
class ClipPreprocessor {
public:
    explicit ClipPreprocessor(PreprocessPreset preset);

    const PreprocessPreset& preset() const { return m_preset; }

    /// Decodes `frames` (source frame numbers, repeats allowed) and builds the views.
    Result<PreparedClip> prepare(VideoDecoder& decoder, const std::vector<qint64>& frames,
                                 const CancellationToken& cancel = {}, StageTimes* times = nullptr);

    /// Resizes, crops and normalises one upright float frame into `clip` at time `t` of every view.
    void fillFrame(const FloatPlanes& resized, const std::vector<QRect>& crops, int t,
                   FloatArray& clip) const;

    /// Frames decoded and resized from the decoder so far (the rest came from the recent-frame store).
    qint64 decodedFrames() const { return m_decodedFrames; }

private:
    struct ResizedFrame {
        const VideoDecoder* decoder = nullptr;
        QString path;
        qint64 index = -1;
        QSize frameSize;
        FloatPlanes planes;
    };

    const ResizedFrame* recentFrame(const VideoDecoder& decoder, qint64 index) const;
    void keepRecent(ResizedFrame frame);

    PreprocessPreset m_preset;
    FrameConverter m_converter;
    // The last frames resized: overlapping windows share their frames, so each is decoded once.
    std::deque<ResizedFrame> m_recent;
    qint64 m_decodedFrames = 0;
};

} // namespace saccade
