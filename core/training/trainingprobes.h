#pragma once

#include "core/training/syntheticclipgenerator.h"
#include "core/util/result.h"

#include <torch/nn/modules/linear.h>
#include <torch/optim/optimizer.h>

#include <QString>

#include <utility>
#include <vector>

namespace saccade {

/// The auxiliary linear probes that give a transformer trained from scratch dense targets the
/// generator knows, so its tokens learn what the class depends on before the class loss can tell:
///  - actor probe: every output patch token predicts whether its patch shows the actor;
///  - heading probe: every actor patch token entering the last block predicts the actor's heading in
///    its frame (a unit vector), which the last block's temporal attention can then compare across
///    frames to tell the sense of a turn.
/// The probes train with the model but are not part of the saved model.
class TrainingProbes {
public:
    struct Weights {
        double actor = 0.0;   ///< 0 turns the actor probe off
        double heading = 0.0; ///< 0 turns the heading probe off
    };
    struct Losses {
        torch::Tensor total; ///< weighted sum, to add to the class loss (undefined when all are off)
        double actor = 0.0;
        double heading = 0.0;
    };

    TrainingProbes(int hiddenSize, const Weights& weights);

    bool wantsPatchTokens() const { return m_weights.actor > 0.0; }
    bool wantsLastBlockInput() const { return m_weights.heading > 0.0; }
    std::vector<torch::Tensor> parameters() const;

    /// `patchTokens` and `lastBlockInput` are (B, T, N, D) as TimeSformerNetImpl::features() gives
    /// them (undefined for a probe that is off).
    Losses losses(const std::vector<SyntheticClip>& clips, int patchSize, const torch::Tensor& patchTokens,
                  const torch::Tensor& lastBlockInput);

    /// Probe weights beside a training checkpoint in `directory`.
    Status save(const QString& directory) const;
    Status load(const QString& directory);

private:
    /// Each probe that is on, with its file in `directory`.
    std::vector<std::pair<torch::nn::Linear, QString>> files(const QString& directory) const;

    Weights m_weights;
    torch::nn::Linear m_actor{nullptr};
    torch::nn::Linear m_heading{nullptr};
};

} // namespace saccade
