#pragma once

#include "core/model/timesformerconfig.h"
#include "core/training/syntheticbatch.h"
#include "core/training/syntheticclipgenerator.h"
#include "core/training/synthetictimelinewindow.h"
#include "core/util/cancellationtoken.h"
#include "core/util/result.h"

#include <QMetaType>
#include <QString>

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace saccade {

/// How to train a TimeSformer on synthetic actions.
struct TrainingOptions {
    /// Model preset (TimeSformerConfig::preset); `config`, when set, replaces it.
    QString preset = QStringLiteral("demo");
    std::optional<TimeSformerConfig> config;
    AttentionType attentionType = AttentionType::DividedSpaceTime;
    /// Fixes the initial weights, the data and the augmentation.
    uint64_t seed = 1;
    int steps = 2000;
    int batchSize = 32;
    /// 0: every step draws new clips; n: the data cycles through n batches.
    int distinctBatches = 0;
    double learningRate = 1e-3;
    double minLearningRate = 1e-5;
    double weightDecay = 0.05;
    /// Linear warm-up over this share of the steps, then a cosine decay to minLearningRate.
    double warmupFraction = 0.05;
    double labelSmoothing = 0.1;
    /// Weight of the auxiliary actor loss: a linear probe on every output patch token predicts whether
    /// the patch shows the actor (the generator knows its box). No single frame tells the classes apart,
    /// so without this dense signal a transformer trained from scratch sits at chance for thousands of
    /// steps; with it the patch tokens learn where the actor is first and the class follows. The probe
    /// is not part of the saved model. 0 turns it off.
    double actorLossWeight = 0.0;
    /// Weight of the auxiliary heading loss: a linear probe on the actor's patch tokens entering the
    /// last block predicts which way the actor points in that frame (TrainingProbes). A turn's sense is
    /// how the heading changes between frames; without this signal the model finds where the actor is
    /// and that it turns, but rarely which way. 0 turns it off.
    double headingLossWeight = 0.0;
    /// Every odd clip of a batch is the clip before it played backwards (same scene, actor and timing,
    /// the pair's other class). Whatever does not depend on the order of the frames is then the same in
    /// both, so the gradient speaks only of time's direction, the thing hardest to learn.
    bool timeReversedPairs = false;
    /// Share of every batch cut from synthetic timelines (SyntheticTimelineWindow): windows over idle
    /// stretches, across action boundaries and between actions, labelled by overlap. Above 0 the model
    /// gets a background class after the actions.
    double backgroundShare = 0.0;
    /// A timeline window takes an action's class when the action covers at least this share of it.
    double backgroundMinOverlap = 0.5;
    double gradientClipNorm = 1.0;
    ClipAugmentation augmentation{0.1, 0.2};
    /// Over this share of the steps the clips' distractors and grain grow linearly from none to the
    /// full amount: a transformer trained from scratch on the full clips stays at chance for a long
    /// time, while plain scenes teach it where the motion is first.
    double curriculumFraction = 0.0;
    /// Seconds a training clip spans (the demo video's 30 fps sampled every 8th frame for 8 frames).
    double clipSeconds = 7.0 * 8.0 / 30.0;
    /// Source-frame stride a model trained this way expects at 30 fps (written to training.json).
    int samplingRate = 8;
    /// Where the model (Hugging Face layout), training.json and checkpoint/ go.
    QString outputDirectory;
    int checkpointEverySteps = 200;
    /// Continue from outputDirectory/checkpoint when it exists.
    bool resume = false;
    /// A model to start from instead of random weights (WeightTransfer), e.g. a smaller-input model of
    /// the same width and depth; empty starts from scratch. A resumed run takes its checkpoint instead.
    QString initFrom;
    /// Intra-op threads; 0 keeps the current setting.
    int threads = 0;
};

/// One step's report.
struct TrainingProgress {
    int step = 0; ///< steps finished
    int steps = 0;
    double loss = 0.0;            ///< this step's classification loss
    double actorLoss = 0.0;       ///< this step's auxiliary actor loss (0 when off)
    double headingLoss = 0.0;     ///< this step's auxiliary heading loss (0 when off)
    double averageLoss = 0.0;     ///< mean over the last steps
    double averageAccuracy = 0.0; ///< training top-1 over the last steps
    double learningRate = 0.0;
    double elapsedSeconds = 0.0;
    double remainingSeconds = 0.0;
};

struct TrainingSummary {
    int steps = 0;
    int resumedFromStep = 0;
    /// What TrainingOptions::initFrom gave the model (WeightTransfer::apply), empty when unused.
    QString initNote;
    double averageLoss = 0.0;
    double averageAccuracy = 0.0;
    double seconds = 0.0;
    int64_t parameters = 0;
    QString directory;
};

/// Trains a TimeSformer on clips from SyntheticClipGenerator with AdamW, warm-up plus cosine learning
/// rate, label smoothing, photometric augmentation and gradient clipping; checkpoints every few
/// steps and can resume. Results are reproducible from the seed (for one thread count). Writes the
/// trained model as a Hugging Face directory with the class names of SyntheticAction.
/// run() blocks the calling thread; use TrainingWorker for a background thread.
class Trainer {
public:
    explicit Trainer(const TrainingOptions& options);

    /// The configuration the model gets (preset or override, attention type, labels).
    Result<TimeSformerConfig> modelConfig() const;

    /// How the clips of optimizer step `step` are generated (frames, size, and the curriculum's
    /// distractors and grain).
    SyntheticClipOptions clipOptionsForStep(const TimeSformerConfig& config, int step) const;

    /// How the timeline windows of optimizer step `step` are cut (same curriculum as the clips).
    TimelineWindowOptions timelineOptionsForStep(const TimeSformerConfig& config, int step) const;

    /// Seeds of the clips of optimizer step `step` (after cycling through distinctBatches).
    std::vector<uint64_t> clipSeedsForStep(int step) const;
    /// The clips one step trains on (TrainingOptions::timeReversedPairs decides their pairing).
    std::vector<SyntheticClip> clipsForStep(const TimeSformerConfig& config, int step) const;

    /// Trains. `progress` is called on this thread after every step. Exceptions stay inside.
    Result<TrainingSummary> run(const CancellationToken& cancel,
                                const std::function<void(const TrainingProgress&)>& progress = {});

private:
    TrainingOptions m_options;
};

} // namespace saccade

Q_DECLARE_METATYPE(saccade::TrainingProgress)
Q_DECLARE_METATYPE(saccade::TrainingSummary)
