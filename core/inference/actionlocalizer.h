#pragma once

#include "core/inference/framescores.h"
#include "core/inference/temporaldecoder.h"
#include "core/inference/windowresult.h"

#include <QMetaType>
#include <QStringList>

#include <vector>

namespace saccade {

/// What turns a video's window predictions into action segments (GUI, `annotate` and `predict`).
struct LocalizationOptions {
    /// Models without a background class: frames whose best class probability stays below this are
    /// left unlabelled (the actionness threshold). Ignored for models with one.
    double actionnessThreshold = 0.5;
    /// Cost of a change of class in log-probability units (TemporalDecoderOptions::switchPenalty).
    double switchPenalty = 6.0;
    /// Shorter segments and gaps are absorbed by a neighbour.
    double minSegmentSeconds = 0.5;

    /// Every parameter in one line, for fingerprints of saved predictions.
    QString fingerprint() const;
};

/// Per-frame scores, the decoded labelling and the proposals of one video.
struct Localization {
    FrameScores scores;
    /// Class per frame, -1 for background.
    std::vector<int> frameClasses;
    std::vector<SegmentProposal> proposals;
    /// The model's background class, -1 when it has none.
    int backgroundClass = -1;
};

/// Dense window predictions to segments: FrameScoreAggregator, then TemporalDecoder with the model's
/// background class (a label named "background") or, without one, the actionness threshold. Pure
/// function, any thread.
class ActionLocalizer {
public:
    /// The classes a project labels with: the model's, without its background class.
    static QStringList actionLabels(const QStringList& labels);

    static Localization localize(const std::vector<WindowResult>& windows, qint64 frameCount, double fps,
                                 const QStringList& labels, const LocalizationOptions& options);
};

} // namespace saccade

Q_DECLARE_METATYPE(saccade::LocalizationOptions)
