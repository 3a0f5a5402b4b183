#include "core/training/trainingprobes.h"

#include "core/training/syntheticbatch.h"

#include <torch/nn/functional/loss.h>
#include <torch/serialize.h>

#include <QDir>
#include <QFile>

namespace saccade {

namespace {

std::string localPath(const QString& path) {
    return QFile::encodeName(path).toStdString();
}

torch::Tensor tensorOf(FloatArray& array) {
    // Cloned: backward reads the targets after `array` has gone.
    return torch::from_blob(array.values.data(), array.shape, torch::kFloat32).clone();
}

} // namespace

TrainingProbes::TrainingProbes(int hiddenSize, const Weights& weights) : m_weights(weights) {
    if (m_weights.actor > 0.0)
        m_actor = torch::nn::Linear(hiddenSize, 1);
    if (m_weights.heading > 0.0)
        m_heading = torch::nn::Linear(hiddenSize, 2);
}

std::vector<torch::Tensor> TrainingProbes::parameters() const {
    std::vector<torch::Tensor> all;
    for (const auto& probe : {m_actor, m_heading})
        if (probe)
            for (const torch::Tensor& parameter : probe->parameters())
                all.push_back(parameter);
    return all;
}

TrainingProbes::Losses TrainingProbes::losses(const std::vector<SyntheticClip>& clips, int patchSize,
                                              const torch::Tensor& patchTokens,
                                              const torch::Tensor& lastBlockInput) {
    Losses losses;
    if (!m_actor && !m_heading)
        return losses;
    FloatArray maskArray = SyntheticBatch::actorPatchMask(clips, patchSize);
    const torch::Tensor mask = tensorOf(maskArray); // (B, T, N)
    const auto add = [&](double weight, const torch::Tensor& loss) {
        losses.total = losses.total.defined() ? losses.total + weight * loss : weight * loss;
    };
    if (m_actor) {
        const torch::Tensor loss =
            torch::binary_cross_entropy_with_logits(m_actor(patchTokens).squeeze(-1), mask);
        add(m_weights.actor, loss);
        losses.actor = loss.item<double>();
    }
    if (m_heading) {
        FloatArray headingArray = SyntheticBatch::actorHeadings(clips);
        const torch::Tensor heading = tensorOf(headingArray).unsqueeze(2); // (B, T, 1, 2)
        // Squared error on the actor's patches only: elsewhere the heading is not to be seen.
        const torch::Tensor error = (m_heading(lastBlockInput) - heading).pow(2).sum(-1);
        const torch::Tensor loss = (error * mask).sum() / mask.sum().clamp_min(1.0);
        add(m_weights.heading, loss);
        losses.heading = loss.item<double>();
    }
    return losses;
}

std::vector<std::pair<torch::nn::Linear, QString>> TrainingProbes::files(const QString& directory) const {
    const QDir folder(directory);
    std::vector<std::pair<torch::nn::Linear, QString>> files;
    if (m_actor)
        files.emplace_back(m_actor, folder.filePath(QStringLiteral("actor_probe.pt")));
    if (m_heading)
        files.emplace_back(m_heading, folder.filePath(QStringLiteral("heading_probe.pt")));
    return files;
}

Status TrainingProbes::save(const QString& directory) const {
    try {
        for (const auto& [probe, path] : files(directory))
            torch::save(probe, localPath(path));
    } catch (const c10::Error& error) {
        return Error::io(directory, QStringLiteral("cannot save the training probes: ") +
                                        QString::fromStdString(error.what_without_backtrace()));
    }
    return {};
}

Status TrainingProbes::load(const QString& directory) {
    try {
        for (auto [probe, path] : files(directory))
            torch::load(probe, localPath(path));
    } catch (const c10::Error& error) {
        return Error::invalidData(directory, QStringLiteral("cannot read the training probes: ") +
                                                 QString::fromStdString(error.what_without_backtrace()));
    }
    return {};
}

} // namespace saccade
