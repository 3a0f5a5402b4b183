#pragma once

#include <QString>

#include <optional>

namespace saccade {

/// The research code's parameter name (without the `model.` prefix) for a Hugging Face name, or
/// nullopt when the name is not part of a TimeSformer.
std::optional<QString> hfToResearchName(const QString& hfName);

/// The Hugging Face name of a research parameter name.
QString researchToHfName(const QString& researchName);

/// Whether `name` uses the Hugging Face layout (`timesformer.` or `classifier.` prefix).
bool isHfName(const QString& name);

} // namespace saccade
