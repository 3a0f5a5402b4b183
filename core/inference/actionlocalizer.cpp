#include "core/inference/actionlocalizer.h"

#include <cmath>

namespace saccade {

QString LocalizationOptions::fingerprint() const {
    return QStringLiteral("actionness%1 switch%2 minseg%3")
        .arg(actionnessThreshold)
        .arg(switchPenalty)
        .arg(minSegmentSeconds);
}

QStringList ActionLocalizer::actionLabels(const QStringList& labels) {
    QStringList actions = labels;
    const int background = TemporalDecoder::backgroundClassIndex(labels);
    if (background >= 0)
        actions.removeAt(background);
    return actions;
}

Localization ActionLocalizer::localize(const std::vector<WindowResult>& windows, qint64 frameCount,
                                       double fps, const QStringList& labels,
                                       const LocalizationOptions& options) {
    std::vector<WindowScores> scores;
    scores.reserve(windows.size());
    for (const WindowResult& window : windows)
        if (!window.probabilities.empty())
            scores.push_back({window.startFrame, window.endFrame, window.probabilities});
    Localization localization;
    localization.scores = FrameScoreAggregator::aggregate(scores, frameCount);
    localization.backgroundClass = TemporalDecoder::backgroundClassIndex(labels);
    TemporalDecoderOptions decoder;
    decoder.backgroundClass = localization.backgroundClass;
    decoder.actionnessThreshold = options.actionnessThreshold;
    decoder.switchPenalty = options.switchPenalty;
    decoder.minDurationFrames = std::max<qint64>(
        1, static_cast<qint64>(std::llround(options.minSegmentSeconds * (fps > 0.0 ? fps : 25.0))));
    localization.frameClasses = TemporalDecoder::decodeFrames(localization.scores, decoder);
    localization.proposals = TemporalDecoder::segmentsOf(localization.frameClasses, localization.scores);
    return localization;
}

} // namespace saccade
