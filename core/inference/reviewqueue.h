#pragma once

#include "core/inference/windowresult.h"

#include <QString>
#include <QStringList>

#include <map>
#include <optional>
#include <vector>

namespace saccade {

/// What makes an analysed window worth a second look.
enum class ReviewCriterion {
    /// Top-1 minus top-2 probability below the threshold.
    LowMargin = 1,
    /// Entropy of the class probabilities, divided by ln(classes) so it lies in [0, 1], above the
    /// threshold.
    HighEntropy,
    /// The model's top class is none of the accepted labels at the window's centre frame.
    Disagreement,
};

struct ReviewOptions {
    ReviewCriterion criterion = ReviewCriterion::LowMargin;
    /// Margin below which (LowMargin) or normalised entropy above which (HighEntropy) a window is
    /// listed; unused for Disagreement.
    double threshold = 0.2;
};

/// A stretch a person labelled (an accepted or edited segment): frames [startFrame, endFrame).
struct LabelSpan {
    qint64 startFrame = 0;
    qint64 endFrame = 0;
    QString label;
};

/// One place to review: a window and why it was listed.
struct ReviewItem {
    int windowIndex = -1;
    /// Where to put the playhead: the window's centre frame (the window shown there is this one).
    qint64 frame = 0;
    /// The margin or normalised entropy for low-confidence items; the top probability otherwise.
    double value = 0.0;
    /// "low confidence: margin 0.04", "model says grow, label says shrink".
    QString reason;
};

/// The review queue of one video: the analysed windows that meet a criterion, in frame order, and
/// stepping through them from the playhead. A plain value built from the results; rebuild it when they
/// or the labels change.
class ReviewQueue {
public:
    ReviewQueue() = default;
    /// Lists the windows of `windows` (analysis results by window index) that meet `options`; `labels`
    /// are the accepted labels of the same video (used by Disagreement only).
    ReviewQueue(const std::map<int, WindowResult>& windows, const std::vector<LabelSpan>& labels,
                const ReviewOptions& options);

    const std::vector<ReviewItem>& items() const { return m_items; }
    bool isEmpty() const { return m_items.empty(); }
    int size() const { return static_cast<int>(m_items.size()); }

    /// The first item after `frame`; when there is none, the first item (and `wrapped` is set).
    /// Nothing when the queue is empty.
    std::optional<ReviewItem> next(qint64 frame, bool* wrapped = nullptr) const;
    /// The last item before `frame`; when there is none, the last item (and `wrapped` is set).
    std::optional<ReviewItem> previous(qint64 frame, bool* wrapped = nullptr) const;

    /// Top-1 minus top-2 probability (the top-1 probability with one class; 0 without predictions).
    static double margin(const WindowResult& window);
    /// Entropy of the probabilities over ln(classes), in [0, 1] (0 with fewer than two classes).
    static double normalisedEntropy(const WindowResult& window);
    /// The accepted labels covering `frame`, sorted and without repeats.
    static QStringList labelsAt(const std::vector<LabelSpan>& labels, qint64 frame);

private:
    std::vector<ReviewItem> m_items;
};

} // namespace saccade
