#pragma once

#include "core/model/timesformermodel.h"
#include "core/inference/attentionanalysis.h"
#include "core/util/cancellationtoken.h"
#include "core/util/result.h"

#include <QJsonObject>
#include <QStringList>

#include <cstdint>
#include <functional>
#include <vector>

namespace saccade {

struct EvaluationOptions {
    int clips = 500;
    /// Evaluation clips come from a stream no training run draws from, whatever the seed.
    uint64_t seed = 1;
    int batchSize = 16;
    /// Measure attention on the actor (captures attention; slower).
    bool attention = true;
    RolloutOptions rollout;
    /// Seconds a clip spans (as in training).
    double clipSeconds = 7.0 * 8.0 / 30.0;
};

struct EvaluationReport {
    QStringList labels;
    int clips = 0;
    double top1 = 0.0;
    std::vector<double> perClassAccuracy;
    /// Share of clips whose prediction names the right motion, whichever its direction in time.
    double pairAccuracy = 0.0;
    /// Of the clips whose motion was right, the share whose direction in time was right too: 0.5 is
    /// what a model blind to the order of frames gets.
    double directionAccuracy = 0.0;
    /// confusion[true][predicted] counts.
    std::vector<std::vector<int>> confusion;
    /// Mean over clips and frames with a visible actor of AttentionAnalysis::massRatioInBox() over the
    /// rollout; negative when not measured (attention off or a type without rollout).
    double attentionOnActor = -1.0;
    /// The same ratio for the spatial cls attention of the last layer (mean over heads and frames).
    double lastLayerClsOnActor = -1.0;

    /// Keys: clips, top1, pair_accuracy, direction_accuracy, per_class, labels, confusion,
    /// attention_on_actor, last_layer_cls_on_actor.
    QJsonObject toJson() const;
};

/// Runs a model over held-out synthetic clips. Blocks the calling thread; `progress` gets the
/// finished share on it.
class Evaluator {
public:
    static Result<EvaluationReport> evaluate(TimeSformerModel& model, const EvaluationOptions& options,
                                             const CancellationToken& cancel = CancellationToken(),
                                             const std::function<void(double)>& progress = {});
};

} // namespace saccade
