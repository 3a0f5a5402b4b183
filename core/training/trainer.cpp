#include "core/training/trainer.h"

#include "core/model/timesformermodel.h"
#include "core/model/timesformernet.h"
#include "core/training/random.h"
#include "core/training/syntheticaction.h"
#include "core/training/trainingprobes.h"
#include "core/training/weighttransfer.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <algorithm>
#include <cmath>
#include <deque>
#include <numeric>

namespace saccade {

namespace {

constexpr uint64_t kDataSalt = 0x747261696e;
constexpr uint64_t kAugmentSalt = 0x6175676d;
constexpr int kAverageWindow = 20;
constexpr int kCheckpointVersion = 1;

std::string localPath(const QString& path) {
    return QFile::encodeName(path).toStdString();
}

Status writeJson(const QString& path, const QJsonObject& object) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error::io(path, QStringLiteral("cannot create the file: ") + file.errorString());
    file.write(QJsonDocument(object).toJson(QJsonDocument::Indented));
    if (!file.commit())
        return Error::io(path, QStringLiteral("cannot write the file: ") + file.errorString());
    return {};
}

double learningRateAt(const TrainingOptions& options, int step) {
    const int warmup = static_cast<int>(std::lround(options.warmupFraction * options.steps));
    if (step < warmup)
        return options.learningRate * (step + 1) / static_cast<double>(warmup);
    const double progress = static_cast<double>(step - warmup) / std::max(1, options.steps - warmup);
    return options.minLearningRate +
           0.5 * (options.learningRate - options.minLearningRate) * (1.0 + std::cos(M_PI * progress));
}

// What else shapes the optimizer state and the data a resumed run must match: the probes' weights
// (each probe has optimizer state) and the batch pairing.
QJsonObject dataAndProbes(const TrainingOptions& options) {
    return QJsonObject{
        {QStringLiteral("actor_loss_weight"), options.actorLossWeight},
        {QStringLiteral("heading_loss_weight"), options.headingLossWeight},
        {QStringLiteral("time_reversed_pairs"), options.timeReversedPairs},
        {QStringLiteral("background_share"), options.backgroundShare},
        {QStringLiteral("background_min_overlap"), options.backgroundMinOverlap},
    };
}

bool withBackground(const TrainingOptions& options) {
    return options.backgroundShare > 0.0;
}

// Checkpoint state beside the weights: where training stopped and what it was training.
QJsonObject checkpointState(const TrainingOptions& options, const TimeSformerConfig& config, int step) {
    return QJsonObject{
        {QStringLiteral("version"), kCheckpointVersion},
        {QStringLiteral("step"), step},
        {QStringLiteral("steps"), options.steps},
        {QStringLiteral("seed"), QString::number(options.seed)},
        {QStringLiteral("batch_size"), options.batchSize},
        {QStringLiteral("config"), config.toHfJson()},
        {QStringLiteral("data_and_probes"), dataAndProbes(options)},
    };
}

} // namespace

Trainer::Trainer(const TrainingOptions& options) : m_options(options) {}

Result<TimeSformerConfig> Trainer::modelConfig() const {
    TimeSformerConfig config;
    if (m_options.config) {
        config = *m_options.config;
    } else {
        const std::optional<TimeSformerConfig> preset = TimeSformerConfig::preset(m_options.preset);
        if (!preset)
            return Error::invalidArgument(
                QStringLiteral("unknown model preset '%1' (known: %2)")
                    .arg(m_options.preset, TimeSformerConfig::presetNames().join(QStringLiteral(", "))));
        config = *preset;
        config.attentionType = m_options.attentionType;
    }
    config.labels = syntheticClassNames(withBackground(m_options));
    config.numClasses = static_cast<int>(config.labels.size());
    config.samplingRate = m_options.samplingRate;
    const Status valid = config.validate();
    if (!valid)
        return valid.error();
    return config;
}

SyntheticClipOptions Trainer::clipOptionsForStep(const TimeSformerConfig& config, int step) const {
    SyntheticClipOptions clipOptions;
    clipOptions.frames = config.numFrames;
    clipOptions.width = config.imageSize;
    clipOptions.height = config.imageSize;
    clipOptions.clipSeconds = m_options.clipSeconds;
    const double curriculumSteps = m_options.curriculumFraction * m_options.steps;
    if (curriculumSteps >= 1.0 && step < curriculumSteps) {
        const double share = step / curriculumSteps;
        clipOptions.maxDistractors = static_cast<int>(std::floor(share * (clipOptions.maxDistractors + 1)));
        clipOptions.minDistractors = std::min(clipOptions.minDistractors, clipOptions.maxDistractors);
        clipOptions.maxNoise *= share;
    }
    return clipOptions;
}

TimelineWindowOptions Trainer::timelineOptionsForStep(const TimeSformerConfig& config, int step) const {
    const SyntheticClipOptions clipOptions = clipOptionsForStep(config, step);
    TimelineWindowOptions options;
    options.frames = clipOptions.frames;
    options.width = clipOptions.width;
    options.height = clipOptions.height;
    options.samplingRate = m_options.samplingRate;
    options.minDistractors = clipOptions.minDistractors;
    options.maxDistractors = clipOptions.maxDistractors;
    options.maxNoise = clipOptions.maxNoise;
    options.minOverlap = m_options.backgroundMinOverlap;
    return options;
}

std::vector<uint64_t> Trainer::clipSeedsForStep(int step) const {
    Random dataSeeds = Random::derived(m_options.seed, kDataSalt);
    const int64_t batchIndex = m_options.distinctBatches > 0 ? step % m_options.distinctBatches : step;
    return SyntheticBatch::clipSeeds(dataSeeds.nextU64(), batchIndex, m_options.batchSize);
}

std::vector<SyntheticClip> Trainer::clipsForStep(const TimeSformerConfig& config, int step) const {
    const SyntheticClipGenerator generator(clipOptionsForStep(config, step));
    const SyntheticTimelineWindow timeline(timelineOptionsForStep(config, step));
    const std::vector<uint64_t> seeds = clipSeedsForStep(step);
    // The last share of the batch is cut from timelines; the rest are clips of one action each.
    const size_t timelineCount = static_cast<size_t>(
        std::lround(std::clamp(m_options.backgroundShare, 0.0, 1.0) * static_cast<double>(seeds.size())));
    const size_t actionCount = seeds.size() - timelineCount;
    std::vector<SyntheticClip> clips;
    clips.reserve(seeds.size());
    for (size_t i = 0; i < seeds.size(); ++i) {
        if (i >= actionCount) {
            clips.push_back(timeline.generate(seeds[i]));
        } else if (m_options.timeReversedPairs && i % 2 == 1) {
            const SyntheticClip& forward = clips[i - 1];
            clips.push_back(generator.generate(forward.seed, timeReversed(forward.action)));
        } else {
            clips.push_back(generator.generate(seeds[i]));
        }
    }
    return clips;
}

Result<TrainingSummary> Trainer::run(const CancellationToken& cancel,
                                     const std::function<void(const TrainingProgress&)>& progress) {
    const TrainingOptions& options = m_options;
    if (options.steps <= 0 || options.batchSize <= 0)
        return Error::invalidArgument(QStringLiteral("steps and batch size must be positive"));
    if (options.outputDirectory.isEmpty())
        return Error::invalidArgument(QStringLiteral("no output directory was given"));
    Result<TimeSformerConfig> configResult = modelConfig();
    if (!configResult)
        return configResult.error();
    const TimeSformerConfig config = configResult.value();

    const QDir directory(options.outputDirectory);
    if (!QDir().mkpath(directory.absolutePath()) ||
        !QDir().mkpath(directory.filePath(QStringLiteral("checkpoint"))))
        return Error::io(options.outputDirectory, QStringLiteral("cannot create the folder"));
    const QString checkpointDir = directory.filePath(QStringLiteral("checkpoint"));
    const QString statePath = checkpointDir + QStringLiteral("/state.json");
    const QString weightsPath = checkpointDir + QStringLiteral("/model.pt");
    const QString optimizerPath = checkpointDir + QStringLiteral("/optimizer.pt");

    if (options.threads > 0)
        TimeSformerModel::setThreadCount(options.threads);

    try {
        torch::manual_seed(options.seed);
        Result<TimeSformerModel> created = TimeSformerModel::create(config);
        if (!created)
            return created.error();
        TimeSformerModel model = std::move(created).value();
        TimeSformerNet& net = model.net();
        TrainingProbes probes(config.hiddenSize, {options.actorLossWeight, options.headingLossWeight});

        // Weight decay only on matrices; biases, norms and embeddings are left alone.
        std::vector<torch::Tensor> decayed;
        std::vector<torch::Tensor> plain = probes.parameters();
        for (const auto& parameter : net->named_parameters()) {
            const std::string& name = parameter.key();
            const bool embedding = name == "cls_token" || name == "pos_embed" || name == "time_embed";
            if (parameter.value().dim() >= 2 && !embedding)
                decayed.push_back(parameter.value());
            else
                plain.push_back(parameter.value());
        }
        std::vector<torch::optim::OptimizerParamGroup> groups;
        groups.emplace_back(
            decayed, std::make_unique<torch::optim::AdamWOptions>(
                         torch::optim::AdamWOptions(options.learningRate).weight_decay(options.weightDecay)));
        groups.emplace_back(plain, std::make_unique<torch::optim::AdamWOptions>(
                                       torch::optim::AdamWOptions(options.learningRate).weight_decay(0.0)));
        torch::optim::AdamW optimizer(
            std::move(groups),
            torch::optim::AdamWOptions(options.learningRate).weight_decay(options.weightDecay));

        QString initNote;
        if (!options.initFrom.isEmpty() && !(options.resume && QFile::exists(statePath))) {
            Result<TimeSformerModel> source = TimeSformerModel::load(options.initFrom);
            if (!source)
                return source.error();
            Result<QString> transferred = WeightTransfer::apply(model, source.value(), options.initFrom);
            if (!transferred)
                return transferred.error();
            initNote = transferred.value();
        }

        int startStep = 0;
        if (options.resume && QFile::exists(statePath)) {
            QFile stateFile(statePath);
            if (!stateFile.open(QIODevice::ReadOnly))
                return Error::io(statePath, QStringLiteral("cannot read the checkpoint state"));
            const QJsonObject state = QJsonDocument::fromJson(stateFile.readAll()).object();
            if (state.value(QStringLiteral("version")).toInt() != kCheckpointVersion)
                return Error::invalidData(statePath,
                                          QStringLiteral("not a checkpoint state of this version"));
            if (state.value(QStringLiteral("seed")).toString() != QString::number(options.seed) ||
                state.value(QStringLiteral("batch_size")).toInt() != options.batchSize ||
                state.value(QStringLiteral("config")).toObject() != config.toHfJson())
                return Error::invalidArgument(statePath +
                                              QStringLiteral(": the checkpoint was trained with another "
                                                             "seed, batch size or model; resume with "
                                                             "the same options"));
            // Checkpoints from before the probes were recorded carry no entry and are taken as they are.
            // Keys added later are read as their defaults, so older checkpoints still resume.
            const QJsonValue recorded = state.value(QStringLiteral("data_and_probes"));
            QJsonObject recordedSettings = dataAndProbes(TrainingOptions());
            const QJsonObject recordedObject = recorded.toObject();
            for (auto it = recordedObject.begin(); it != recordedObject.end(); ++it)
                recordedSettings.insert(it.key(), it.value());
            if (!recorded.isUndefined() && recordedSettings != dataAndProbes(options))
                return Error::invalidArgument(
                    statePath + QStringLiteral(": the checkpoint was trained with other "
                                               "--actor-loss, --heading-loss, "
                                               "--reversed-pairs or --background settings; resume with the "
                                               "same options"));
            startStep = state.value(QStringLiteral("step")).toInt();
            torch::load(net, localPath(weightsPath));
            torch::load(optimizer, localPath(optimizerPath));
            const Status probesLoaded = probes.load(checkpointDir);
            if (!probesLoaded)
                return probesLoaded.error();
        }

        std::deque<double> recentLoss;
        std::deque<double> recentAccuracy;
        QElapsedTimer timer;
        timer.start();
        TrainingProgress report;
        report.steps = options.steps;
        report.step = startStep;

        const auto saveCheckpoint = [&](int step) -> Status {
            torch::save(net, localPath(weightsPath));
            torch::save(optimizer, localPath(optimizerPath));
            const Status probesSaved = probes.save(checkpointDir);
            if (!probesSaved)
                return probesSaved;
            return writeJson(statePath, checkpointState(options, config, step));
        };

        net->train();
        for (int step = startStep; step < options.steps; ++step) {
            if (cancel.isCancelled()) {
                const Status saved = saveCheckpoint(step);
                if (!saved)
                    return saved.error();
                return Error::cancelled();
            }
            const std::vector<SyntheticClip> clips = clipsForStep(config, step);
            std::vector<int64_t> labels;
            for (const SyntheticClip& clip : clips)
                labels.push_back(withBackground(options) ? clip.classIndex()
                                                         : syntheticActionIndex(clip.action));
            const FloatArray input =
                SyntheticBatch::toInput(clips, config.normMean, config.normStd, options.augmentation,
                                        Random::mix(options.seed ^ kAugmentSalt, step));
            const torch::Tensor video =
                torch::from_blob(const_cast<float*>(input.values.data()), input.shape, torch::kFloat32);
            const torch::Tensor target = torch::tensor(labels, torch::kLong);

            const double learningRate = learningRateAt(options, step);
            for (auto& group : optimizer.param_groups())
                static_cast<torch::optim::AdamWOptions&>(group.options()).lr(learningRate);

            optimizer.zero_grad();
            torch::Tensor patchTokens;
            torch::Tensor lastBlockInput;
            const torch::Tensor logits =
                net->head(net->features(video, nullptr, probes.wantsPatchTokens() ? &patchTokens : nullptr,
                                        probes.wantsLastBlockInput() ? &lastBlockInput : nullptr));
            const torch::Tensor logProbabilities = torch::log_softmax(logits, 1);
            const torch::Tensor nll = -logProbabilities.gather(1, target.unsqueeze(1)).squeeze(1);
            const torch::Tensor uniform = -logProbabilities.mean(1);
            const torch::Tensor classLoss =
                ((1.0 - options.labelSmoothing) * nll + options.labelSmoothing * uniform).mean();
            torch::Tensor loss = classLoss;
            const TrainingProbes::Losses probeLosses =
                probes.losses(clips, config.patchSize, patchTokens, lastBlockInput);
            if (probeLosses.total.defined())
                loss = loss + probeLosses.total;
            loss.backward();
            std::vector<torch::Tensor> clipped = net->parameters();
            for (const torch::Tensor& parameter : probes.parameters())
                clipped.push_back(parameter);
            torch::nn::utils::clip_grad_norm_(clipped, options.gradientClipNorm);
            optimizer.step();

            const double lossValue = classLoss.item<double>();
            if (!std::isfinite(lossValue))
                return Error{ErrorCategory::Internal,
                             QStringLiteral("training diverged at step %1 (loss is not finite); try a lower "
                                            "learning rate")
                                 .arg(step + 1),
                             options.outputDirectory};
            const double accuracy = logits.argmax(1).eq(target).to(torch::kFloat32).mean().item<double>();
            recentLoss.push_back(lossValue);
            recentAccuracy.push_back(accuracy);
            if (recentLoss.size() > kAverageWindow) {
                recentLoss.pop_front();
                recentAccuracy.pop_front();
            }

            report.step = step + 1;
            report.loss = lossValue;
            report.actorLoss = probeLosses.actor;
            report.headingLoss = probeLosses.heading;
            report.averageLoss =
                std::accumulate(recentLoss.begin(), recentLoss.end(), 0.0) / recentLoss.size();
            report.averageAccuracy =
                std::accumulate(recentAccuracy.begin(), recentAccuracy.end(), 0.0) / recentAccuracy.size();
            report.learningRate = learningRate;
            report.elapsedSeconds = timer.elapsed() / 1000.0;
            report.remainingSeconds =
                report.elapsedSeconds / (report.step - startStep) * (options.steps - report.step);
            if (progress)
                progress(report);

            if (options.checkpointEverySteps > 0 && report.step % options.checkpointEverySteps == 0 &&
                report.step < options.steps) {
                const Status saved = saveCheckpoint(report.step);
                if (!saved)
                    return saved.error();
            }
        }

        net->eval();
        const Status saved = model.saveHfDirectory(directory.absolutePath());
        if (!saved)
            return saved.error();
        const Status checkpointSaved = saveCheckpoint(options.steps);
        if (!checkpointSaved)
            return checkpointSaved.error();

        TrainingSummary summary;
        summary.steps = options.steps;
        summary.resumedFromStep = startStep;
        summary.initNote = initNote;
        summary.averageLoss = report.averageLoss;
        summary.averageAccuracy = report.averageAccuracy;
        summary.seconds = timer.elapsed() / 1000.0;
        summary.parameters = model.parameterCount();
        summary.directory = directory.absolutePath();
        const Status described = writeJson(
            directory.filePath(QStringLiteral("training.json")),
            QJsonObject{
                {QStringLiteral("data"), QStringLiteral("saccade synthetic actions")},
                {QStringLiteral("preset"), options.config ? QStringLiteral("custom") : options.preset},
                {QStringLiteral("attention_type"), attentionTypeName(config.attentionType)},
                {QStringLiteral("seed"), QString::number(options.seed)},
                {QStringLiteral("steps"), options.steps},
                {QStringLiteral("batch_size"), options.batchSize},
                {QStringLiteral("learning_rate"), options.learningRate},
                {QStringLiteral("weight_decay"), options.weightDecay},
                {QStringLiteral("label_smoothing"), options.labelSmoothing},
                {QStringLiteral("actor_loss_weight"), options.actorLossWeight},
                {QStringLiteral("heading_loss_weight"), options.headingLossWeight},
                {QStringLiteral("time_reversed_pairs"), options.timeReversedPairs},
                {QStringLiteral("background_share"), options.backgroundShare},
                {QStringLiteral("background_min_overlap"), options.backgroundMinOverlap},
                {QStringLiteral("gradient_clip_norm"), options.gradientClipNorm},
                {QStringLiteral("clip_seconds"), options.clipSeconds},
                {QStringLiteral("curriculum_fraction"), options.curriculumFraction},
                {QStringLiteral("sampling_rate"), options.samplingRate},
                {QStringLiteral("init_from"), options.initFrom},
                {QStringLiteral("final_average_loss"), summary.averageLoss},
                {QStringLiteral("final_average_train_accuracy"), summary.averageAccuracy},
                {QStringLiteral("parameters"), static_cast<qint64>(summary.parameters)},
            });
        if (!described)
            return described.error();
        return summary;
    } catch (const std::exception& error) {
        return Error{ErrorCategory::Internal,
                     QStringLiteral("training failed: %1").arg(QString::fromUtf8(error.what())),
                     options.outputDirectory};
    }
}

} // namespace saccade
