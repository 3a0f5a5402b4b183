#include "core/inference/windowresult.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace saccade {

int WindowResult::topClass() const {
    if (probabilities.empty())
        return -1;
    return static_cast<int>(std::max_element(probabilities.begin(), probabilities.end()) -
                            probabilities.begin());
}

float WindowResult::topProbability() const {
    const int best = topClass();
    return best < 0 ? 0.0f : probabilities[static_cast<size_t>(best)];
}

QRect WindowResult::attentionBox() const {
    if (attentionView < 0 || attentionView >= static_cast<int>(cropBoxes.size()))
        return {};
    return cropBoxes[static_cast<size_t>(attentionView)];
}

void WindowResult::setLogits(std::vector<float> values, const QStringList& labels, int topK) {
    logits = std::move(values);
    probabilities.assign(logits.size(), 0.0f);
    top.clear();
    if (logits.empty())
        return;
    const float highest = *std::max_element(logits.begin(), logits.end());
    double sum = 0.0;
    for (size_t i = 0; i < logits.size(); ++i)
        sum += std::exp(double(logits[i]) - highest);
    for (size_t i = 0; i < logits.size(); ++i)
        probabilities[i] = static_cast<float>(std::exp(double(logits[i]) - highest) / sum);
    std::vector<int> order(logits.size());
    std::iota(order.begin(), order.end(), 0);
    const auto k = static_cast<size_t>(std::clamp<int>(topK, 0, static_cast<int>(order.size())));
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                      [this](int a, int b) { return logits[size_t(a)] > logits[size_t(b)]; });
    for (size_t i = 0; i < k; ++i) {
        const int index = order[i];
        top.push_back({index, index < labels.size() ? labels[index] : QStringLiteral("class %1").arg(index),
                       probabilities[size_t(index)], logits[size_t(index)]});
    }
}

} // namespace saccade
