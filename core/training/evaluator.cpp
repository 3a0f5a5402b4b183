#include "core/training/evaluator.h"

#include "core/training/random.h"
#include "core/training/syntheticaction.h"
#include "core/training/syntheticbatch.h"
#include "core/training/syntheticclipgenerator.h"

#include <QJsonArray>

#include <algorithm>

namespace saccade {

namespace {

constexpr uint64_t kEvaluationSalt = 0x6576616c;

// Last layer's spatial cls attention for one clip, heads and frames kept apart as (T, Hp, Wp).
FloatArray lastLayerClsMap(const std::vector<AttentionMap>& maps, int item, int frames, int grid) {
    const AttentionMap* last = nullptr;
    for (const AttentionMap& map : maps)
        if (map.kind == QLatin1String("space") && (!last || map.layer > last->layer))
            last = &map;
    FloatArray result;
    if (!last || last->probabilities.shape.size() != 4)
        return result;
    const int64_t heads = last->probabilities.shape[1];
    const int64_t tokens = last->probabilities.shape[2];
    const int64_t patches = static_cast<int64_t>(grid) * grid;
    if (tokens != 1 + patches || last->probabilities.shape[0] < static_cast<int64_t>(item + 1) * frames)
        return result;
    result.shape = {frames, grid, grid};
    result.values.assign(static_cast<size_t>(frames * patches), 0.0f);
    for (int t = 0; t < frames; ++t) {
        const int64_t row = static_cast<int64_t>(item) * frames + t;
        for (int64_t a = 0; a < heads; ++a) {
            const float* cls = last->probabilities.values.data() + ((row * heads + a) * tokens) * tokens;
            for (int64_t k = 0; k < patches; ++k)
                result.values[static_cast<size_t>(t * patches + k)] += cls[1 + k] / static_cast<float>(heads);
        }
    }
    return result;
}

} // namespace

QJsonObject EvaluationReport::toJson() const {
    QJsonObject perClass;
    QJsonArray confusionRows;
    for (int i = 0; i < labels.size(); ++i) {
        if (i < static_cast<int>(perClassAccuracy.size()))
            perClass.insert(labels[i], perClassAccuracy[i]);
        QJsonArray row;
        if (i < static_cast<int>(confusion.size()))
            for (int count : confusion[i])
                row.append(count);
        confusionRows.append(row);
    }
    return QJsonObject{
        {QStringLiteral("clips"), clips},
        {QStringLiteral("top1"), top1},
        {QStringLiteral("pair_accuracy"), pairAccuracy},
        {QStringLiteral("direction_accuracy"), directionAccuracy},
        {QStringLiteral("labels"), QJsonArray::fromStringList(labels)},
        {QStringLiteral("per_class"), perClass},
        {QStringLiteral("confusion"), confusionRows},
        {QStringLiteral("attention_on_actor"),
         attentionOnActor >= 0 ? QJsonValue(attentionOnActor) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("last_layer_cls_on_actor"),
         lastLayerClsOnActor >= 0 ? QJsonValue(lastLayerClsOnActor) : QJsonValue(QJsonValue::Null)},
    };
}

Result<EvaluationReport> Evaluator::evaluate(TimeSformerModel& model, const EvaluationOptions& options,
                                             const CancellationToken& cancel,
                                             const std::function<void(double)>& progress) {
    const TimeSformerConfig& config = model.config();
    // The actions, optionally followed by the background class (which no held-out clip shows).
    const bool withBackground = config.numClasses == kSyntheticActionCount + 1 &&
                                config.classNames().value(kSyntheticBackgroundIndex) == backgroundClassName();
    if (config.numClasses != kSyntheticActionCount && !withBackground)
        return Error::invalidArgument(
            QStringLiteral("%1: the model has %2 classes; synthetic actions have %3 (and maybe '%4')")
                .arg(model.sourcePath())
                .arg(config.numClasses)
                .arg(kSyntheticActionCount)
                .arg(backgroundClassName()));
    if (options.clips <= 0 || options.batchSize <= 0)
        return Error::invalidArgument(
            QStringLiteral("the number of clips and the batch size must be positive"));

    SyntheticClipOptions clipOptions;
    clipOptions.frames = config.numFrames;
    clipOptions.width = config.imageSize;
    clipOptions.height = config.imageSize;
    clipOptions.clipSeconds = options.clipSeconds;
    const SyntheticClipGenerator generator(clipOptions);
    const uint64_t streamSeed = Random::mix(options.seed, kEvaluationSalt);
    const int grid = config.gridSize();
    const bool rolloutPossible = config.attentionType == AttentionType::DividedSpaceTime ||
                                 config.attentionType == AttentionType::JointSpaceTime;

    EvaluationReport report;
    report.labels = config.classNames();
    report.confusion.assign(config.numClasses, std::vector<int>(config.numClasses, 0));
    double rolloutSum = 0.0;
    double clsSum = 0.0;
    int64_t rolloutCount = 0;
    int64_t clsCount = 0;
    int correct = 0;
    const QSizeF frameSize(config.imageSize, config.imageSize);

    const int batches = (options.clips + options.batchSize - 1) / options.batchSize;
    for (int batch = 0; batch < batches; ++batch) {
        if (cancel.isCancelled())
            return Error::cancelled();
        const int count = std::min(options.batchSize, options.clips - batch * options.batchSize);
        const std::vector<uint64_t> seeds = SyntheticBatch::clipSeeds(streamSeed, batch, options.batchSize);
        std::vector<SyntheticClip> clips;
        for (int i = 0; i < count; ++i)
            clips.push_back(generator.generate(seeds[i]));
        const FloatArray input = SyntheticBatch::toInput(clips, config.normMean, config.normStd);
        Result<ForwardResult> output = model.forward(input, options.attention);
        if (!output)
            return output.error();
        const FloatArray& logits = output->logits;
        for (int i = 0; i < count; ++i) {
            const float* row = logits.values.data() + static_cast<int64_t>(i) * config.numClasses;
            const int predicted = static_cast<int>(std::max_element(row, row + config.numClasses) - row);
            const int truth = syntheticActionIndex(clips[i].action);
            ++report.confusion[truth][predicted];
            correct += predicted == truth ? 1 : 0;
            if (!options.attention)
                continue;
            const auto accumulate = [&](const FloatArray& map, double& sum, int64_t& n) {
                for (int t = 0; t < config.numFrames; ++t) {
                    const double ratio =
                        AttentionAnalysis::massRatioInBox(map, t, clips[i].actorBoxes[t], frameSize);
                    if (ratio >= 0) {
                        sum += ratio;
                        ++n;
                    }
                }
            };
            if (rolloutPossible) {
                Result<FloatArray> rollout = AttentionAnalysis::rollout(
                    output->attention, i, config.numFrames, grid, grid, options.rollout);
                if (!rollout)
                    return rollout.error();
                accumulate(rollout.value(), rolloutSum, rolloutCount);
            }
            const FloatArray cls = lastLayerClsMap(output->attention, i, config.numFrames, grid);
            if (!cls.values.empty())
                accumulate(cls, clsSum, clsCount);
        }
        report.clips += count;
        if (progress)
            progress(static_cast<double>(report.clips) / options.clips);
    }
    report.top1 = static_cast<double>(correct) / report.clips;
    for (int c = 0; c < kSyntheticActionCount; ++c) {
        int total = 0;
        for (int count : report.confusion[c])
            total += count;
        report.perClassAccuracy.push_back(total > 0 ? static_cast<double>(report.confusion[c][c]) / total
                                                    : 0.0);
    }
    int rightPair = 0;
    int rightDirection = 0;
    for (int truth = 0; truth < kSyntheticActionCount; ++truth) {
        const int partner = syntheticActionIndex(timeReversed(syntheticActionFromIndex(truth)));
        rightDirection += report.confusion[truth][truth];
        rightPair += report.confusion[truth][truth] + report.confusion[truth][partner];
    }
    report.pairAccuracy = static_cast<double>(rightPair) / report.clips;
    report.directionAccuracy = rightPair > 0 ? static_cast<double>(rightDirection) / rightPair : 0.0;
    if (rolloutCount > 0)
        report.attentionOnActor = rolloutSum / rolloutCount;
    if (clsCount > 0)
        report.lastLayerClsOnActor = clsSum / clsCount;
    return report;
}

} // namespace saccade
