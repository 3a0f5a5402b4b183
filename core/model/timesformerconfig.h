#pragma once

#include "core/util/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <array>
#include <cstdint>
#include <optional>

namespace saccade {

/// How a block mixes tokens across space and time (the paper's five designs).
enum class AttentionType {
    DividedSpaceTime = 1, ///< temporal attention, then spatial attention (T+S), the default
    JointSpaceTime,       ///< one attention over all N*T patches (ST)
    SpaceOnly,            ///< per-frame attention, frames averaged at the end (S)
    LocalGlobal,          ///< sparse local then strided global attention (L+G), no public weights
    Axial,                ///< temporal, width, then height attention (T+W+H), no public weights
};

/// "divided_space_time", "joint_space_time", "space_only", "local_global", "axial".
QString attentionTypeName(AttentionType type);
std::optional<AttentionType> parseAttentionType(const QString& name);
QStringList attentionTypeNames();

/// Everything that fixes a TimeSformer's shape and its input contract. Plain value, any thread.
struct TimeSformerConfig {
    /// Upper bounds validate() enforces on values read from files.
    static constexpr int kMaxDepth = 1000;
    static constexpr int kMaxClasses = 1000000;

    int imageSize = 224;
    int patchSize = 16;
    int numFrames = 8;
    int hiddenSize = 768;
    int depth = 12;
    int numHeads = 12;
    double mlpRatio = 4.0;
    double layerNormEps = 1e-6;
    bool qkvBias = true;
    AttentionType attentionType = AttentionType::DividedSpaceTime;
    int numClasses = 400;
    /// Class names, index = class id; may be empty (labels() then names them "class N").
    QStringList labels;
    /// Preprocessing preset: "research-k400", "hf" or "demo".
    QString preprocessing = QStringLiteral("research-k400");
    /// Channel order the model was trained on: false = RGB, true = BGR (SSv2 research models).
    bool bgr = false;
    /// Sampling rate of the training clips relative to a 30 fps target (frames skipped + 1).
    int samplingRate = 32;
    /// Normalisation applied after scaling to [0, 1].
    std::array<float, 3> normMean = {0.45f, 0.45f, 0.45f};
    std::array<float, 3> normStd = {0.225f, 0.225f, 0.225f};

    /// "base", "hr", "l", "demo".
    static QStringList presetNames();
    static std::optional<TimeSformerConfig> preset(const QString& name);

    int gridSize() const { return imageSize / patchSize; }
    int patchesPerFrame() const { return gridSize() * gridSize(); }
    int headDim() const { return hiddenSize / numHeads; }
    int mlpHiddenSize() const { return static_cast<int>(hiddenSize * mlpRatio); }
    /// Names for every class: labels if complete, else "class N".
    QStringList classNames() const;
    /// Number of learnable scalars of this configuration.
    int64_t parameterCount() const;
    /// Checks sizes are positive, the hidden size splits into the heads, the image into patches.
    Status validate() const;

    /// Reads a Hugging Face `config.json` object (unknown fields ignored).
    static Result<TimeSformerConfig> fromHfJson(const QJsonObject& json, const QString& path);
    QJsonObject toHfJson() const;
    /// A `preprocessor_config.json` object describing the normalisation and crop.
    QJsonObject toHfPreprocessorJson() const;
    /// Takes the normalisation from a `preprocessor_config.json` object: `image_mean` and `image_std`
    /// (three numbers or one for all channels; absent keeps the current values), or none at all when
    /// `do_normalize` is false. A malformed value is an error naming `path`.
    Status readHfNormalisation(const QJsonObject& json, const QString& path);
    /// Reads the research code's YAML `cfg` string (line-based: DATA.NUM_FRAMES, DATA.TRAIN_CROP_SIZE,
    /// TIMESFORMER.ATTENTION_TYPE, MODEL.NUM_CLASSES, ...). Fields it does not mention keep `base`.
    static Result<TimeSformerConfig> fromResearchYaml(const QByteArray& yaml, const QString& path);
};

} // namespace saccade
