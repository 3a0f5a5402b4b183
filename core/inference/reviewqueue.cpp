#include "core/inference/reviewqueue.h"

#include <algorithm>
#include <cmath>

namespace saccade {

namespace {

// The name of class `index`, from the window's top list when it is there.
QString className(const WindowResult& window, int index) {
    for (const TopClass& top : window.top)
        if (top.index == index)
            return top.label;
    return QStringLiteral("class %1").arg(index);
}

// Indices of the two most probable classes (-1 where there is none).
std::pair<int, int> bestTwo(const std::vector<float>& probabilities) {
    int first = -1;
    int second = -1;
    for (int i = 0; i < static_cast<int>(probabilities.size()); ++i) {
        const float p = probabilities[size_t(i)];
        if (first < 0 || p > probabilities[size_t(first)]) {
            second = first;
            first = i;
        } else if (second < 0 || p > probabilities[size_t(second)]) {
            second = i;
        }
    }
    return {first, second};
}

std::optional<ReviewItem> reviewItem(const WindowResult& window, const std::vector<LabelSpan>& labels,
                                     const ReviewOptions& options) {
    if (window.probabilities.empty())
        return std::nullopt;
    ReviewItem item;
    item.windowIndex = window.windowIndex;
    item.frame = (window.startFrame + window.endFrame) / 2;
    switch (options.criterion) {
    case ReviewCriterion::LowMargin: {
        item.value = ReviewQueue::margin(window);
        if (!(item.value < options.threshold))
            return std::nullopt;
        const auto [first, second] = bestTwo(window.probabilities);
        item.reason = QStringLiteral("low confidence: margin %1").arg(item.value, 0, 'f', 2);
        if (second >= 0)
            item.reason += QStringLiteral(" (%1 %2, %3 %4)")
                               .arg(className(window, first))
                               .arg(window.probabilities[size_t(first)], 0, 'f', 2)
                               .arg(className(window, second))
                               .arg(window.probabilities[size_t(second)], 0, 'f', 2);
        return item;
    }
    case ReviewCriterion::HighEntropy: {
        item.value = ReviewQueue::normalisedEntropy(window);
        if (!(item.value > options.threshold))
            return std::nullopt;
        item.reason = QStringLiteral("low confidence: entropy %1 (top %2 %3)")
                          .arg(item.value, 0, 'f', 2)
                          .arg(className(window, window.topClass()))
                          .arg(window.topProbability(), 0, 'f', 2);
        return item;
    }
    case ReviewCriterion::Disagreement: {
        const QStringList accepted = ReviewQueue::labelsAt(labels, item.frame);
        const QString model = className(window, window.topClass());
        // Unlabelled stretches are not disagreements: the model has no "nothing happens" class.
        if (accepted.isEmpty() || accepted.contains(model))
            return std::nullopt;
        item.value = window.topProbability();
        item.reason = QStringLiteral("model says %1 (%2), label says %3")
                          .arg(model)
                          .arg(item.value, 0, 'f', 2)
                          .arg(accepted.join(QStringLiteral(", ")));
        return item;
    }
    }
    return std::nullopt;
}

} // namespace

ReviewQueue::ReviewQueue(const std::map<int, WindowResult>& windows, const std::vector<LabelSpan>& labels,
                         const ReviewOptions& options) {
    for (const auto& [index, window] : windows) {
        std::optional<ReviewItem> item = reviewItem(window, labels, options);
        if (!item)
            continue;
        item->windowIndex = index;
        m_items.push_back(std::move(*item));
    }
    std::stable_sort(m_items.begin(), m_items.end(),
                     [](const ReviewItem& a, const ReviewItem& b) { return a.frame < b.frame; });
}

std::optional<ReviewItem> ReviewQueue::next(qint64 frame, bool* wrapped) const {
    if (wrapped)
        *wrapped = false;
    if (m_items.empty())
        return std::nullopt;
    for (const ReviewItem& item : m_items)
        if (item.frame > frame)
            return item;
    if (wrapped)
        *wrapped = true;
    return m_items.front();
}

std::optional<ReviewItem> ReviewQueue::previous(qint64 frame, bool* wrapped) const {
    if (wrapped)
        *wrapped = false;
    if (m_items.empty())
        return std::nullopt;
    for (auto it = m_items.rbegin(); it != m_items.rend(); ++it)
        if (it->frame < frame)
            return *it;
    if (wrapped)
        *wrapped = true;
    return m_items.back();
}

double ReviewQueue::margin(const WindowResult& window) {
    const auto [first, second] = bestTwo(window.probabilities);
    if (first < 0)
        return 0.0;
    const double top = window.probabilities[size_t(first)];
    return second < 0 ? top : top - window.probabilities[size_t(second)];
}

double ReviewQueue::normalisedEntropy(const WindowResult& window) {
    const size_t classes = window.probabilities.size();
    if (classes < 2)
        return 0.0;
    double entropy = 0.0;
    for (float p : window.probabilities)
        if (p > 0.0f)
            entropy -= double(p) * std::log(double(p));
    return std::clamp(entropy / std::log(double(classes)), 0.0, 1.0);
}

QStringList ReviewQueue::labelsAt(const std::vector<LabelSpan>& labels, qint64 frame) {
    QStringList names;
    for (const LabelSpan& span : labels)
        if (span.startFrame <= frame && frame < span.endFrame && !names.contains(span.label))
            names.append(span.label);
    names.sort();
    return names;
}

} // namespace saccade
