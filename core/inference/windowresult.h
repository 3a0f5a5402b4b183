#pragma once

#include "core/util/npy.h"

#include <QMetaType>
#include <QRect>
#include <QSize>
#include <QString>
#include <QStringList>

#include <vector>

namespace saccade {

struct TopClass {
    int index = -1;
    QString label;
    float probability = 0.0f;
    float logit = 0.0f;
};

/// Seconds spent on one window by stage.
struct WindowTimings {
    double decodeS = 0.0;
    double preprocessS = 0.0;
    double forwardS = 0.0;
    double attentionS = 0.0;
    double totalS = 0.0;
};

/// What the model says about one window of a video. A plain value (no torch types): it crosses
/// threads over queued signals and is what the analysis cache stores.
struct WindowResult {
    /// Request generation it answers (results of superseded requests are dropped).
    quint64 generation = 0;
    int windowIndex = -1;
    /// First and last source frame of the window (inclusive).
    qint64 startFrame = 0;
    qint64 endFrame = 0;
    /// Source frames the clip sampled, in clip order.
    std::vector<qint64> frames;
    /// Crop boxes of the views in upright frame pixels of `frameSize`.
    std::vector<QRect> cropBoxes;
    QSize frameSize;
    /// The view whose attention is kept (the centre crop).
    int attentionView = 0;
    /// Logits summed over the views, and their softmax.
    std::vector<float> logits;
    std::vector<float> probabilities;
    /// Best classes, most probable first.
    std::vector<TopClass> top;
    /// Spatial cls maps (L, A, T, Hp, Wp), temporal maps (L, A, N, T, T) (empty when the attention type
    /// has none) and the rollout (T, Hp, Wp) of the attention view; empty when not captured.
    FloatArray spatial;
    FloatArray temporal;
    FloatArray rollout;
    bool fromCache = false;
    WindowTimings timings;

    /// Index of the most probable class, -1 without predictions.
    int topClass() const;
    float topProbability() const;
    QRect attentionBox() const;

    /// Fills `logits`, `probabilities` (a stable softmax) and `top` (k best; labels from `labels`).
    void setLogits(std::vector<float> values, const QStringList& labels, int topK);
};

} // namespace saccade

Q_DECLARE_METATYPE(saccade::WindowResult)
