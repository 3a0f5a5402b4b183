#pragma once

#include "core/annotation/projectdata.h"
#include "core/training/syntheticbatch.h"
#include "core/util/cancellationtoken.h"
#include "core/util/result.h"

#include <QJsonArray>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

namespace saccade {

/// How to fine-tune a model on a project's labelled segments.
struct FinetuneOptions {
    /// Checkpoint file, Hugging Face directory or "demo".
    QString model;
    /// The `.saccade` project whose accepted and edited segments are the labels.
    QString projectPath;
    /// Where the fine-tuned model (Hugging Face layout) and finetune.json go. Must not exist, be empty,
    /// or hold a model written before (which is then replaced as a whole).
    QString outputDirectory;
    /// Train only the classification head on features the frozen network computes once per clip.
    bool headOnly = false;
    int epochs = 5;
    /// AdamW learning rate; 0 picks the mode's default (kDefaultHeadOnlyLearningRate or
    /// kDefaultFullLearningRate). In full mode the head learns at kHeadLearningRateScale times this.
    double learningRate = 0.0;
    double weightDecay = 0.05;
    int batchSize = 8;
    /// Fixes the split (when the project has none), the clip order and the augmentation.
    uint64_t seed = 1;
    /// Intra-op threads; 0 keeps the current setting.
    int threads = 0;
    /// Training clips per segment, spread evenly over the segment (val clips: the same offsets,
    /// without augmentation).
    int clipsPerSegment = 4;
    /// Photometric jitter of training clips. No flips: mirrored clips would swap left and right.
    ClipAugmentation augmentation{0.1, 0.2};
    /// Source-frame stride at 30 fps; 0 uses the model's (sampling_rate of the training.json or
    /// finetune.json beside a model directory, else its configuration).
    int samplingRate = 0;
    /// Project labels the model lacks become new classes appended to its head; false refuses them.
    bool addMissingClasses = true;
    /// Train only the head rows of the classes the head gains (with headOnly: nothing else changes); the
    /// model's own classes keep their weights, so what it knew cannot regress (the project's clips of those
    /// classes still teach the new rows what the new classes are not).
    bool onlyNewClasses = false;

    static constexpr double kDefaultHeadOnlyLearningRate = 1e-3;
    static constexpr double kDefaultFullLearningRate = 1e-4;
    static constexpr double kHeadLearningRateScale = 10.0;
};

/// Where a fine-tuning run is. Clip extraction reports clips (step/steps) with epoch 0; training
/// reports optimizer steps over all epochs. remainingSeconds is the current phase's estimate.
struct FinetuneProgress {
    enum class Phase { ExtractingClips = 1, Training };
    Phase phase = Phase::ExtractingClips;
    int epoch = 0; ///< 1-based while training
    int epochs = 0;
    int step = 0; ///< clips extracted, or optimizer steps finished
    int steps = 0;
    double loss = 0.0; ///< mean training loss of the current epoch so far
    double elapsedSeconds = 0.0;
    double remainingSeconds = 0.0;
};

/// One class's top-1 recall over the val clips of its label, before and after fine-tuning.
struct ClassRecall {
    QString label;
    int valClips = 0;
    double before = 0.0;
    double after = 0.0;
    /// A class the head gained for a project label (its recall before is 0 by construction).
    bool added = false;
};

struct FinetuneSummary {
    /// Top-1 accuracy over the val clips of the model as loaded, and of the fine-tuned one.
    double valAccuracyBefore = 0.0;
    double valAccuracyAfter = 0.0;
    int trainClips = 0;
    int valClips = 0;
    int trainSegments = 0;
    int valSegments = 0;
    int epochs = 0;
    double finalLoss = 0.0;
    double seconds = 0.0;
    /// The fine-tuned model directory.
    QString directory;
    /// Classes appended to the model's head for project labels it did not have.
    QStringList addedClasses;
    /// Per class with val clips, in class order.
    std::vector<ClassRecall> perClass;
    /// How the train/val split was made (the project's, or assigned here and how).
    QString splitNote;
};

/// Fine-tunes a TimeSformer on the accepted and edited segments of a project (proposals that were
/// never accepted and rejected segments are not labels).
///
/// Labels are matched to the model's classes by name (exactly, else ignoring case and treating spaces
/// and hyphens as underscores). A label the model lacks becomes a new class: the head gains a row per
/// new label, after the existing ones, with zero weights and the mean of the old biases, so old
/// classes keep their scores and the new rows learn from the project's clips.
///
/// A model with a background class (TemporalDecoder::backgroundClassIndex) also learns "no action" from
/// the stretches an annotator has shown to be idle: between two accepted or edited segments with no other
/// segment in between (a pending proposal there leaves the stretch unknown), at least one clip span long.
///
/// Train and val come from the project's video splits (train and unassigned videos train, val videos
/// validate, test videos are left alone). When no video is in val, the segments of the non-test
/// videos are split 80/20 by SplitAssigner (each segment on its own, stratified by label, by seed).
///
/// Clips follow the model's preprocessing and sampling (frames, stride, resize, normalisation): a
/// window of one clip span inside each segment (around it when the segment is shorter), at
/// `clipsPerSegment` offsets. Clips are decoded once and kept in memory for all epochs; head-only mode
/// keeps only their features, computed once by the frozen network, so its epochs take milliseconds.
/// Full mode trains every weight with AdamW (weight decay on matrices only).
///
/// Writes the model as a Hugging Face directory (class names included) and finetune.json (options,
/// accuracies, clip counts). run() blocks the calling thread; FinetuneWorker runs it on its own.
class Finetuner {
public:
    explicit Finetuner(const FinetuneOptions& options);

    const FinetuneOptions& options() const { return m_options; }

    /// Fine-tunes. `progress` is called on this thread. Exceptions stay inside.
    Result<FinetuneSummary> run(const CancellationToken& cancel,
                                const std::function<void(const FinetuneProgress&)>& progress = {});

    /// The stretches of `video` an annotator has shown to be idle, [start, end) in frames: between two
    /// accepted or edited segments with no other segment in between (a pending proposal leaves the
    /// stretch unknown; rejected ones do not count), at least `minFrames` long. In time order.
    static std::vector<std::pair<qint64, qint64>> idleStretches(const VideoEntry& video, qint64 minFrames);

private:
    FinetuneOptions m_options;
};

/// The per-class recalls as finetune.json and `saccade-cli finetune --json` write them.
QJsonArray classRecallsJson(const std::vector<ClassRecall>& recalls);

/// Whether `label` names `className` for fine-tuning: equal, or equal ignoring case with spaces and
/// hyphens read as underscores ("Move left" names "move_left").
bool labelMatchesClass(const QString& label, const QString& className);

} // namespace saccade

Q_DECLARE_METATYPE(saccade::FinetuneProgress)
Q_DECLARE_METATYPE(saccade::FinetuneSummary)
