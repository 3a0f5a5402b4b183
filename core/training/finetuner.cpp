#include "core/training/finetuner.h"

#include "core/annotation/projectfile.h"
#include "core/annotation/splitassigner.h"
#include "core/inference/clipanalyzer.h"
#include "core/inference/preprocessing.h"
#include "core/inference/temporaldecoder.h"
#include "core/media/clipsampler.h"
#include "core/model/checkpoint.h"
#include "core/model/timesformermodel.h"
#include "core/model/timesformernet.h"
#include "core/training/random.h"
#include "core/training/weightdecay.h"
#include "core/util/atomicfile.h"
#include "core/util/jsonfile.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace saccade {

namespace {

constexpr uint64_t kOrderSalt = 0x6f72646572;
constexpr uint64_t kAugmentSalt = 0x6175676d;
constexpr double kValShare = 0.2;
constexpr double kGradientClipNorm = 1.0;

// One labelled stretch of a video to learn from or to check against.
struct LabelledSegment {
    const VideoEntry* video = nullptr;
    qint64 startFrame = 0;
    qint64 endFrame = 0;
    QString label;
    int target = -1; // class index in the fine-tuned model
    bool val = false;
};

// The clips of one segment to extract: their source frames, and the first clip's augmentation seed
// (training clips only).
struct SegmentPlan {
    int segment = 0;
    std::vector<std::vector<qint64>> clips;
    uint64_t firstClipIndex = 0;
};

// Extracted clips of one set (train or val): targets, and the clips or their features.
struct ClipSet {
    std::vector<int64_t> targets;
    std::vector<torch::Tensor> clips;    // (3, T, S, S) float16, kept when the whole network trains
    std::vector<torch::Tensor> features; // (D) of the frozen network
    int size() const { return static_cast<int>(targets.size()); }
};

QString normalisedLabel(const QString& label) {
    QString name = label.trimmed().toLower();
    name.replace(QLatin1Char(' '), QLatin1Char('_'));
    name.replace(QLatin1Char('-'), QLatin1Char('_'));
    return name;
}

bool usableAsLabel(const Segment& segment) {
    return segment.state == SegmentState::Accepted || segment.state == SegmentState::Edited;
}

// The sampling rate a model was trained with: saved beside a model directory by training and
// fine-tuning (config.json has no field for it), else the configuration's.
int modelSamplingRate(const QString& source, const TimeSformerConfig& config) {
    const QFileInfo info(TimeSformerModel::resolveSource(source));
    if (info.isDir()) {
        const QDir directory(info.filePath());
        for (const QString& name : {QStringLiteral("finetune.json"), QStringLiteral("training.json")}) {
            const QString path = directory.filePath(name);
            if (!QFileInfo::exists(path))
                continue;
            const Result<QJsonDocument> document = readJsonFile(path);
            const int rate =
                document.ok() ? document->object().value(QLatin1String("sampling_rate")).toInt() : 0;
            if (rate > 0)
                return rate;
        }
    }
    return config.samplingRate;
}

// The output folder may be new, empty, or a model directory (which is then replaced).
Status checkOutputDirectory(const QString& path) {
    const QFileInfo info(path);
    if (!info.exists())
        return {};
    if (!info.isDir())
        return Error::invalidArgument(path + QStringLiteral(": exists and is not a folder"));
    const QDir directory(path);
    if (directory.isEmpty() || QFileInfo::exists(directory.filePath(QStringLiteral("config.json"))))
        return {};
    return Error::invalidArgument(path + QStringLiteral(": the folder is not empty and holds no model; "
                                                        "choose a new or empty folder"));
}

// Moves a finished staging folder to `target`, replacing a model directory there.
Status moveIntoPlace(const QString& staging, const QString& target) {
    const QFileInfo targetInfo(target);
    const QString aside = targetInfo.absolutePath() + QStringLiteral("/.") + targetInfo.fileName() +
                          QStringLiteral(".replaced");
    QDir(aside).removeRecursively();
    if (targetInfo.exists() && !QDir().rename(target, aside))
        return Error::io(target, QStringLiteral("cannot replace the folder"));
    if (!QDir().rename(staging, target)) {
        if (QFileInfo::exists(aside))
            QDir().rename(aside, target);
        return Error::io(target, QStringLiteral("cannot move the fine-tuned model into place"));
    }
    QDir(aside).removeRecursively();
    return {};
}

struct SplitPlan {
    std::vector<LabelledSegment> segments;
    QString note;
};

} // namespace

std::vector<std::pair<qint64, qint64>> Finetuner::idleStretches(const VideoEntry& video, qint64 minFrames) {
    std::vector<const Segment*> segments;
    for (const Segment& segment : video.segments)
        if (segment.state != SegmentState::Rejected && segment.frameCount() > 0)
            segments.push_back(&segment);
    std::sort(segments.begin(), segments.end(),
              [](const Segment* a, const Segment* b) { return a->startFrame < b->startFrame; });
    std::vector<std::pair<qint64, qint64>> gaps;
    qint64 reachedFrame = -1;
    bool reachedByConfirmed = false;
    for (const Segment* segment : segments) {
        if (reachedByConfirmed && usableAsLabel(*segment) && segment->startFrame - reachedFrame >= minFrames)
            gaps.emplace_back(reachedFrame, segment->startFrame);
        if (segment->endFrame > reachedFrame) {
            reachedFrame = segment->endFrame;
            reachedByConfirmed = usableAsLabel(*segment);
        } else if (!usableAsLabel(*segment)) {
            reachedByConfirmed = false;
        }
    }
    return gaps;
}

namespace {

// The labelled segments of the non-test videos, each marked train or val (see Finetuner's comment).
// With a `backgroundLabel`, confirmed gaps at least `minGapSeconds` long are segments of that label.
Result<SplitPlan> splitSegments(const ProjectData& project, const QString& projectPath, uint64_t seed,
                                const QString& backgroundLabel, double minGapSeconds) {
    SplitPlan plan;
    bool hasVal = false;
    bool hasTrain = false;
    for (const VideoEntry& video : project.videos) {
        if (video.split == Split::Test)
            continue;
        const auto add = [&](qint64 start, qint64 end, const QString& label) {
            LabelledSegment labelled;
            labelled.video = &video;
            labelled.startFrame = start;
            labelled.endFrame = end;
            labelled.label = label;
            labelled.val = video.split == Split::Val;
            hasVal = hasVal || labelled.val;
            hasTrain = hasTrain || !labelled.val;
            plan.segments.push_back(labelled);
        };
        for (const Segment& segment : video.segments)
            if (usableAsLabel(segment) && segment.frameCount() > 0)
                add(segment.startFrame, segment.endFrame, segment.label);
        if (backgroundLabel.isEmpty() || video.probe.fps <= 0)
            continue;
        const auto minFrames = static_cast<qint64>(std::ceil(minGapSeconds * video.probe.fps));
        for (const auto& [start, end] : Finetuner::idleStretches(video, std::max<qint64>(1, minFrames)))
            add(start, end, backgroundLabel);
    }
    if (plan.segments.empty())
        return Error::invalidData(projectPath,
                                  QStringLiteral("the project has no accepted segments to learn from outside "
                                                 "the test split (accept or edit proposals first)"));
    if (hasVal && hasTrain) {
        plan.note = QStringLiteral("the project's split: train and unassigned videos train, val videos "
                                   "validate");
        return plan;
    }

    const auto tooFew = [&] {
        return Error::invalidData(
            projectPath, QStringLiteral("too few accepted segments (%1) to hold out a val split; label at "
                                        "least three segments of a class, or put a video in the val split")
                             .arg(plan.segments.size()));
    };
    // A train and a val segment at the least; SplitAssigner would word this as too few videos.
    if (plan.segments.size() < 2)
        return tooFew();
    // Each segment becomes a one-segment "video" so SplitAssigner stratifies segments by label.
    ProjectData perSegment;
    for (size_t i = 0; i < plan.segments.size(); ++i) {
        VideoEntry entry;
        entry.id = QString::number(i);
        Segment segment;
        segment.label = plan.segments[i].label;
        segment.startFrame = plan.segments[i].startFrame;
        segment.endFrame = plan.segments[i].endFrame;
        entry.segments.push_back(segment);
        perSegment.videos.push_back(entry);
    }
    const Result<QHash<QString, Split>> assigned =
        SplitAssigner::assign(perSegment, SplitRatios{1.0 - kValShare, kValShare, 0.0}, seed);
    if (!assigned)
        return assigned.error();
    int valCount = 0;
    for (size_t i = 0; i < plan.segments.size(); ++i) {
        plan.segments[i].val = assigned->value(QString::number(i)) == Split::Val;
        valCount += plan.segments[i].val ? 1 : 0;
    }
    if (valCount == 0 || valCount == static_cast<int>(plan.segments.size()))
        return tooFew();
    plan.note = QStringLiteral("the project has %1; %2 of %3 segments were held out for val (stratified by "
                               "label, seed %4)")
                    .arg(hasVal ? QStringLiteral("no train videos with accepted segments")
                                : QStringLiteral("no val split"))
                    .arg(valCount)
                    .arg(plan.segments.size())
                    .arg(seed);
    return plan;
}

// The fine-tuned model's classes: the model's, then the project's labels it lacks. Sets each
// segment's target.
Result<QStringList> mapLabels(std::vector<LabelledSegment>& segments, const QStringList& modelClasses,
                              const LabelSet& projectLabels, bool addMissing, const QString& projectPath,
                              QStringList* added) {
    QStringList classes = modelClasses;
    QStringList ordered = projectLabels.names();
    for (const LabelledSegment& segment : segments)
        if (!ordered.contains(segment.label))
            ordered << segment.label;
    QHash<QString, int> targets;
    QStringList missing;
    for (const QString& label : ordered) {
        int index = static_cast<int>(classes.indexOf(label));
        for (int i = 0; i < classes.size() && index < 0; ++i)
            if (labelMatchesClass(label, classes[i]))
                index = i;
        targets.insert(label, index);
    }
    QSet<QString> used;
    for (const LabelledSegment& segment : segments)
        used.insert(segment.label);
    for (const QString& label : ordered)
        if (used.contains(label) && targets.value(label) < 0)
            missing << label;
    if (!missing.isEmpty() && !addMissing)
        return Error::invalidData(
            projectPath,
            QStringLiteral("the model has no class for the labels %1 (its classes: %2)")
                .arg(missing.join(QStringLiteral(", ")), modelClasses.join(QStringLiteral(", "))));
    for (const QString& label : missing) {
        targets[label] = static_cast<int>(classes.size());
        classes << label;
    }
    *added = missing;
    for (LabelledSegment& segment : segments)
        segment.target = targets.value(segment.label);
    return classes;
}

// A model with `classes`: the loaded one when they are its own, else a copy whose head has rows for
// the new classes (zero weights, the old biases' mean) after the old ones.
Result<TimeSformerModel> withClasses(TimeSformerModel loaded, const QStringList& classes) {
    if (classes.size() == loaded.config().numClasses)
        return loaded;
    TimeSformerConfig config = loaded.config();
    const int oldCount = config.numClasses;
    config.numClasses = static_cast<int>(classes.size());
    config.labels = classes;
    Result<TimeSformerModel> created = TimeSformerModel::create(config);
    if (!created)
        return created.error();
    TimeSformerModel extended = std::move(created).value();
    torch::NoGradGuard noGrad;
    auto source = loaded.net()->named_parameters();
    for (auto& parameter : extended.net()->named_parameters()) {
        const torch::Tensor& from = source[parameter.key()];
        if (parameter.key() == "head.weight") {
            parameter.value().zero_();
            parameter.value().narrow(0, 0, oldCount).copy_(from);
        } else if (parameter.key() == "head.bias") {
            parameter.value().fill_(from.mean().item<float>());
            parameter.value().narrow(0, 0, oldCount).copy_(from);
        } else {
            parameter.value().copy_(from);
        }
    }
    return extended;
}

// Windows of one clip span inside the segment, or around it when it is shorter, at `count` offsets
// spread evenly (the model's multi-view offsets over that stretch).
std::vector<std::vector<qint64>> segmentClips(const LabelledSegment& segment, qint64 frameCount, double fps,
                                              const PreprocessPreset& preset, int count) {
    const qint64 span = preset.spanFrames(fps);
    const qint64 start = std::clamp<qint64>(segment.startFrame, 0, frameCount - 1);
    const qint64 end = std::clamp<qint64>(segment.endFrame, start + 1, frameCount);
    qint64 first = start;
    qint64 last = end;
    if (end - start < span) {
        first = std::max<qint64>(0, end - span);
        last = std::min<qint64>(frameCount, start + span);
    }
    std::vector<std::vector<qint64>> clips;
    for (int i = 0; i < count; ++i) {
        std::vector<qint64> frames =
            ClipSampler::temporalClip(last - first, fps, preset.numFrames, preset.samplingRate, i, count,
                                      ClipStart::Offset, preset.targetFps);
        for (qint64& frame : frames)
            frame += first;
        clips.push_back(std::move(frames));
    }
    return clips;
}

// Brightness and contrast jitter on a normalised clip: in [0, 1] space v' = (v - 0.5) * gain + 0.5 +
// shift, as SyntheticBatch does before normalising.
void augment(torch::Tensor& clip, const ClipAugmentation& augmentation, uint64_t seed,
             const PreprocessPreset& preset) {
    Random random(seed);
    const double shift = random.uniform(-augmentation.brightness, augmentation.brightness);
    const double gain = random.uniform(1.0 - augmentation.contrast, 1.0 + augmentation.contrast);
    for (int c = 0; c < 3; ++c) {
        const double mean = preset.mean[c];
        const double offset = ((mean - 0.5) * gain + 0.5 + shift - mean) / preset.std[c];
        clip[c].mul_(gain).add_(offset);
    }
}

void appendPredictions(const torch::Tensor& logits, std::vector<int64_t>& predictions) {
    const torch::Tensor predicted = logits.argmax(1).to(torch::kCPU).contiguous();
    const int64_t* values = predicted.data_ptr<int64_t>();
    predictions.insert(predictions.end(), values, values + predicted.size(0));
}

double accuracy(const std::vector<int64_t>& predictions, const std::vector<int64_t>& targets) {
    int64_t correct = 0;
    for (size_t i = 0; i < targets.size(); ++i)
        correct += predictions[i] == targets[i] ? 1 : 0;
    return targets.empty() ? 0.0 : double(correct) / double(targets.size());
}

// Recall per class over the val clips, before and after, for the classes that have val clips.
std::vector<ClassRecall> classRecalls(const QStringList& classes, const QStringList& added,
                                      const std::vector<int64_t>& targets, const std::vector<int64_t>& before,
                                      const std::vector<int64_t>& after) {
    std::vector<ClassRecall> recalls;
    for (int c = 0; c < classes.size(); ++c) {
        ClassRecall recall;
        recall.label = classes[c];
        recall.added = added.contains(classes[c]);
        int hitsBefore = 0;
        int hitsAfter = 0;
        for (size_t i = 0; i < targets.size(); ++i) {
            if (targets[i] != c)
                continue;
            ++recall.valClips;
            hitsBefore += before[i] == c ? 1 : 0;
            hitsAfter += after[i] == c ? 1 : 0;
        }
        if (recall.valClips == 0)
            continue;
        recall.before = double(hitsBefore) / recall.valClips;
        recall.after = double(hitsAfter) / recall.valClips;
        recalls.push_back(recall);
    }
    return recalls;
}

// Mini-batches of a shuffled order, the same for a seed and epoch on every platform.
std::vector<int> shuffledOrder(int count, uint64_t seed, int epoch) {
    std::vector<int> order(static_cast<size_t>(count));
    std::iota(order.begin(), order.end(), 0);
    Random random = Random::derived(seed ^ kOrderSalt, static_cast<uint64_t>(epoch));
    for (int i = count - 1; i > 0; --i)
        std::swap(order[static_cast<size_t>(i)], order[static_cast<size_t>(random.index(i + 1))]);
    return order;
}

torch::Tensor stackRows(const std::vector<torch::Tensor>& rows, const std::vector<int>& order, size_t from,
                        size_t to) {
    std::vector<torch::Tensor> picked;
    for (size_t i = from; i < to; ++i)
        picked.push_back(rows[static_cast<size_t>(order[i])]);
    return torch::stack(picked).to(torch::kFloat32);
}

using ProgressCallback = std::function<void(const FinetuneProgress&)>;

// The clips of both sets, extracted once.
struct ExtractedClips {
    ClipSet train;
    ClipSet val;
};

// Plans the clips of every segment, grouped by video so each video is opened once.
Result<std::map<QString, std::vector<SegmentPlan>>>
planClips(const std::vector<LabelledSegment>& segments, const PreprocessPreset& preset, int clipsPerSegment,
          const CancellationToken& cancel, std::map<QString, AnalysisVideo>& openVideos, int* totalClips) {
    std::map<QString, std::vector<SegmentPlan>> plansByVideo;
    *totalClips = 0;
    for (size_t s = 0; s < segments.size(); ++s) {
        const LabelledSegment& segment = segments[s];
        const QString& path = segment.video->path;
        if (!openVideos.count(path)) {
            Result<AnalysisVideo> video = openAnalysisVideo(path, cancel);
            if (!video)
                return video.error();
            openVideos.emplace(path, std::move(video).value());
        }
        const AnalysisVideo& video = openVideos.at(path);
        if (segment.startFrame >= video.frameCount)
            return Error::invalidData(path, QStringLiteral("a segment of video '%1' starts at frame %2, past "
                                                           "its last frame %3")
                                                .arg(segment.video->id)
                                                .arg(segment.startFrame)
                                                .arg(video.frameCount - 1));
        SegmentPlan plan;
        plan.segment = static_cast<int>(s);
        plan.clips = segmentClips(segment, video.frameCount, video.fps, preset, clipsPerSegment);
        plan.firstClipIndex = static_cast<uint64_t>(*totalClips);
        *totalClips += static_cast<int>(plan.clips.size());
        plansByVideo[path].push_back(std::move(plan));
    }
    for (auto& [path, plans] : plansByVideo)
        std::stable_sort(plans.begin(), plans.end(), [](const SegmentPlan& a, const SegmentPlan& b) {
            return a.clips.front().front() < b.clips.front().front();
        });
    return plansByVideo;
}

// Decodes and preprocesses every clip once. The frozen network's features are computed in batches for
// the val clips (the accuracy before) and, in head-only mode, for the training clips; in full mode the
// clips themselves are kept.
Result<ExtractedClips> extractClips(const std::vector<LabelledSegment>& segments,
                                    const PreprocessPreset& preset, TimeSformerNet& net,
                                    const FinetuneOptions& options, const CancellationToken& cancel,
                                    const ProgressCallback& progress, const QElapsedTimer& runTimer) {
    std::map<QString, AnalysisVideo> openVideos;
    int totalClips = 0;
    Result<std::map<QString, std::vector<SegmentPlan>>> plansByVideo =
        planClips(segments, preset, options.clipsPerSegment, cancel, openVideos, &totalClips);
    if (!plansByVideo)
        return plansByVideo.error();

    FinetuneProgress report;
    report.phase = FinetuneProgress::Phase::ExtractingClips;
    report.epochs = options.epochs;
    report.steps = totalClips;
    ExtractedClips extracted;
    const torch::Device device = net->head->weight.device();
    std::vector<std::pair<ClipSet*, torch::Tensor>> pending;
    net->eval();
    const auto flushFeatures = [&] {
        if (pending.empty())
            return;
        torch::NoGradGuard noGrad;
        std::vector<torch::Tensor> batch;
        for (const auto& item : pending)
            batch.push_back(item.second);
        const torch::Tensor features = net->features(torch::stack(batch).to(device)).to(torch::kCPU);
        for (size_t i = 0; i < pending.size(); ++i)
            pending[i].first->features.push_back(features[static_cast<int64_t>(i)].clone());
        pending.clear();
    };
    ClipPreprocessor preprocessor(preset);
    QElapsedTimer phaseTimer;
    phaseTimer.start();
    for (auto& [path, plans] : plansByVideo.value()) {
        AnalysisVideo& video = openVideos.at(path);
        for (const SegmentPlan& plan : plans) {
            if (cancel.isCancelled())
                return Error::cancelled();
            // The segment's clips overlap: prepared as one long clip, every frame is decoded once, in
            // order, and the clips are its consecutive runs of numFrames frames.
            std::vector<qint64> frames;
            for (const std::vector<qint64>& clipFrames : plan.clips)
                frames.insert(frames.end(), clipFrames.begin(), clipFrames.end());
            Result<PreparedClip> prepared = preprocessor.prepare(*video.decoder, frames, cancel);
            if (!prepared)
                return prepared.error();
            const FloatArray& input = prepared->input;
            const torch::Tensor all =
                torch::from_blob(const_cast<float*>(input.values.data()), input.shape, torch::kFloat32)[0];
            const LabelledSegment& segment = segments[static_cast<size_t>(plan.segment)];
            ClipSet& set = segment.val ? extracted.val : extracted.train;
            for (size_t c = 0; c < plan.clips.size(); ++c) {
                const auto length = static_cast<int64_t>(plan.clips[c].size());
                torch::Tensor clip = all.narrow(1, static_cast<int64_t>(c) * length, length).clone();
                if (!segment.val)
                    augment(clip, options.augmentation,
                            Random::mix(options.seed ^ kAugmentSalt, plan.firstClipIndex + c), preset);
                set.targets.push_back(segment.target);
                if (options.headOnly || segment.val)
                    pending.emplace_back(&set, clip);
                // Half precision halves the memory of the cached clips; the network sees float32.
                if (!options.headOnly)
                    set.clips.push_back(clip.to(torch::kFloat16));
                if (static_cast<int>(pending.size()) >= options.batchSize)
                    flushFeatures();
            }
            report.step += static_cast<int>(plan.clips.size());
            report.elapsedSeconds = runTimer.elapsed() / 1000.0;
            report.remainingSeconds =
                phaseTimer.elapsed() / 1000.0 / report.step * (totalClips - report.step);
            if (progress)
                progress(report);
        }
        // Each video's decoder is closed once its clips are out.
        video.decoder.reset();
    }
    flushFeatures();
    return extracted;
}

// AdamW over the head alone, or over everything with the head at a higher rate (its new rows start from
// nothing, the rest from trained weights); weight decay on matrices only.
std::vector<torch::optim::OptimizerParamGroup> parameterGroups(TimeSformerNet& net, bool headOnly,
                                                               double learningRate, double weightDecay) {
    std::vector<torch::optim::OptimizerParamGroup> groups;
    const auto addGroup = [&](std::vector<torch::Tensor> parameters, double rate, double decay) {
        if (!parameters.empty())
            groups.emplace_back(std::move(parameters),
                                std::make_unique<torch::optim::AdamWOptions>(
                                    torch::optim::AdamWOptions(rate).weight_decay(decay)));
    };
    const double headRate = headOnly ? learningRate : learningRate * FinetuneOptions::kHeadLearningRateScale;
    addGroup({net->head->weight}, headRate, weightDecay);
    addGroup({net->head->bias}, headRate, 0.0);
    if (headOnly)
        return groups;
    std::vector<torch::Tensor> decayed;
    std::vector<torch::Tensor> plain;
    for (const auto& parameter : net->named_parameters()) {
        if (parameter.key().rfind("head.", 0) == 0)
            continue;
        (takesWeightDecay(parameter.key(), parameter.value()) ? decayed : plain).push_back(parameter.value());
    }
    addGroup(decayed, learningRate, weightDecay);
    addGroup(plain, learningRate, 0.0);
    return groups;
}

// Trains for the options' epochs on the training clips (their features in head-only mode); returns the
// last epoch's mean loss.
// Puts the first rows of the head back after an optimizer step, so those classes keep their scores.
class HeadRowLock {
public:
    HeadRowLock(TimeSformerNet& net, int64_t rows) : m_net(net), m_rows(rows) {
        if (m_rows > 0) {
            m_weight = net->head->weight.detach().narrow(0, 0, rows).clone();
            m_bias = net->head->bias.detach().narrow(0, 0, rows).clone();
        }
    }
    void restore() {
        if (m_rows == 0)
            return;
        torch::NoGradGuard noGrad;
        m_net->head->weight.narrow(0, 0, m_rows).copy_(m_weight);
        m_net->head->bias.narrow(0, 0, m_rows).copy_(m_bias);
    }

private:
    TimeSformerNet& m_net;
    int64_t m_rows = 0;
    torch::Tensor m_weight;
    torch::Tensor m_bias;
};

Result<double> trainEpochs(TimeSformerNet& net, const ClipSet& train, const FinetuneOptions& options,
                           int64_t lockedClasses, double learningRate, const CancellationToken& cancel,
                           const ProgressCallback& progress, const QElapsedTimer& runTimer,
                           const QString& outputDirectory) {
    const torch::Device device = net->head->weight.device();
    HeadRowLock lock(net, lockedClasses);
    const bool headOnly = options.headOnly;
    torch::optim::AdamW optimizer(parameterGroups(net, headOnly, learningRate, options.weightDecay),
                                  torch::optim::AdamWOptions(learningRate));
    FinetuneProgress report;
    report.phase = FinetuneProgress::Phase::Training;
    report.epochs = options.epochs;
    report.steps = (train.size() + options.batchSize - 1) / options.batchSize * options.epochs;
    QElapsedTimer phaseTimer;
    phaseTimer.start();
    double epochLoss = 0.0;
    net->train();
    for (int epoch = 0; epoch < options.epochs; ++epoch) {
        const std::vector<int> order = shuffledOrder(train.size(), options.seed, epoch);
        double lossSum = 0.0;
        int lossCount = 0;
        for (size_t from = 0; from < order.size(); from += static_cast<size_t>(options.batchSize)) {
            if (cancel.isCancelled())
                return Error::cancelled();
            const size_t to = std::min(order.size(), from + static_cast<size_t>(options.batchSize));
            std::vector<int64_t> batchTargets;
            for (size_t i = from; i < to; ++i)
                batchTargets.push_back(train.targets[static_cast<size_t>(order[i])]);
            const torch::Tensor target = torch::tensor(batchTargets, torch::kLong).to(device);
            const torch::Tensor logits =
                headOnly ? net->head(stackRows(train.features, order, from, to).to(device))
                         : net->forward(stackRows(train.clips, order, from, to).to(device));
            const torch::Tensor loss = torch::nn::functional::cross_entropy(logits, target);
            optimizer.zero_grad();
            loss.backward();
            if (!headOnly)
                torch::nn::utils::clip_grad_norm_(net->parameters(), kGradientClipNorm);
            optimizer.step();
            lock.restore();
            const double lossValue = loss.item<double>();
            if (!std::isfinite(lossValue))
                return Error{
                    ErrorCategory::Internal,
                    QStringLiteral("fine-tuning diverged in epoch %1 (loss is not finite); try a lower "
                                   "learning rate")
                        .arg(epoch + 1),
                    outputDirectory};
            lossSum += lossValue * double(to - from);
            lossCount += static_cast<int>(to - from);
            ++report.step;
            report.epoch = epoch + 1;
            report.loss = lossSum / lossCount;
            report.elapsedSeconds = runTimer.elapsed() / 1000.0;
            report.remainingSeconds =
                phaseTimer.elapsed() / 1000.0 / report.step * (report.steps - report.step);
            if (progress)
                progress(report);
        }
        epochLoss = lossSum / std::max(1, lossCount);
    }
    net->eval();
    return epochLoss;
}

// The fine-tuned network's top-1 class of every val clip.
Result<std::vector<int64_t>> valPredictions(TimeSformerNet& net, const ClipSet& val,
                                            const torch::Tensor& valFeatures, const FinetuneOptions& options,
                                            const CancellationToken& cancel) {
    torch::NoGradGuard noGrad;
    net->eval();
    std::vector<int64_t> predictions;
    if (options.headOnly) {
        appendPredictions(net->head(valFeatures), predictions);
        return predictions;
    }
    const torch::Device device = net->head->weight.device();
    std::vector<int> order(static_cast<size_t>(val.size()));
    std::iota(order.begin(), order.end(), 0);
    for (size_t from = 0; from < order.size(); from += static_cast<size_t>(options.batchSize)) {
        if (cancel.isCancelled())
            return Error::cancelled();
        const size_t to = std::min(order.size(), from + static_cast<size_t>(options.batchSize));
        appendPredictions(net->forward(stackRows(val.clips, order, from, to).to(device)), predictions);
    }
    return predictions;
}

// finetune.json: what was done, on what, and how well.
QJsonObject describeRun(const FinetuneOptions& options, const FinetuneSummary& summary, double learningRate,
                        const PreprocessPreset& preset) {
    return QJsonObject{
        {QStringLiteral("source_model"),
         QFileInfo::exists(options.model) ? QFileInfo(options.model).absoluteFilePath() : options.model},
        {QStringLiteral("project"), QFileInfo(options.projectPath).absoluteFilePath()},
        {QStringLiteral("mode"), options.headOnly ? QStringLiteral("head-only") : QStringLiteral("full")},
        {QStringLiteral("epochs"), options.epochs},
        {QStringLiteral("learning_rate"), learningRate},
        {QStringLiteral("weight_decay"), options.weightDecay},
        {QStringLiteral("batch_size"), options.batchSize},
        {QStringLiteral("seed"), QString::number(options.seed)},
        {QStringLiteral("clips_per_segment"), options.clipsPerSegment},
        {QStringLiteral("augmentation"),
         QJsonObject{{QStringLiteral("brightness"), options.augmentation.brightness},
                     {QStringLiteral("contrast"), options.augmentation.contrast}}},
        {QStringLiteral("sampling_rate"), preset.samplingRate},
        {QStringLiteral("preprocessing"), preset.name},
        {QStringLiteral("split"), summary.splitNote},
        {QStringLiteral("train_segments"), summary.trainSegments},
        {QStringLiteral("val_segments"), summary.valSegments},
        {QStringLiteral("train_clips"), summary.trainClips},
        {QStringLiteral("val_clips"), summary.valClips},
        {QStringLiteral("added_classes"), QJsonArray::fromStringList(summary.addedClasses)},
        {QStringLiteral("val_accuracy_before"), summary.valAccuracyBefore},
        {QStringLiteral("val_accuracy_after"), summary.valAccuracyAfter},
        {QStringLiteral("val_recall_per_class"), classRecallsJson(summary.perClass)},
        {QStringLiteral("final_loss"), summary.finalLoss},
        {QStringLiteral("seconds"), summary.seconds},
    };
}

// Writes the model (its config.json with the sampling rate its clips used) and finetune.json beside the
// target first and moves them into place at the end, so a failure leaves no half-written model.
Status writeOutput(const TimeSformerModel& model, int samplingRate, const QJsonObject& description,
                   const QString& outputDirectory) {
    const QFileInfo target(outputDirectory);
    const QString staging =
        target.absolutePath() + QStringLiteral("/.") + target.fileName() + QStringLiteral(".partial");
    QDir(staging).removeRecursively();
    TimeSformerConfig config = model.config();
    config.samplingRate = samplingRate;
    Status written = saveHfDirectory(staging, config, model.stateTensors());
    if (written)
        written = writeFileAtomically(QDir(staging).filePath(QStringLiteral("finetune.json")),
                                      QJsonDocument(description).toJson(QJsonDocument::Indented));
    if (written)
        written = moveIntoPlace(staging, outputDirectory);
    if (!written)
        QDir(staging).removeRecursively();
    return written;
}

} // namespace

QJsonArray classRecallsJson(const std::vector<ClassRecall>& recalls) {
    QJsonArray array;
    for (const ClassRecall& recall : recalls)
        array.append(QJsonObject{{QStringLiteral("label"), recall.label},
                                 {QStringLiteral("val_clips"), recall.valClips},
                                 {QStringLiteral("recall_before"), recall.before},
                                 {QStringLiteral("recall_after"), recall.after},
                                 {QStringLiteral("added"), recall.added}});
    return array;
}

bool labelMatchesClass(const QString& label, const QString& className) {
    return label == className || normalisedLabel(label) == normalisedLabel(className);
}

Finetuner::Finetuner(const FinetuneOptions& options) : m_options(options) {}

Result<FinetuneSummary> Finetuner::run(const CancellationToken& cancel, const ProgressCallback& progress) {
    const FinetuneOptions& options = m_options;
    if (options.epochs <= 0 || options.batchSize <= 0 || options.clipsPerSegment <= 0)
        return Error::invalidArgument(
            QStringLiteral("epochs, batch size and clips per segment must be positive"));
    if (options.learningRate < 0 || options.samplingRate < 0)
        return Error::invalidArgument(
            QStringLiteral("the learning rate and sampling rate cannot be negative"));
    if (options.outputDirectory.isEmpty())
        return Error::invalidArgument(QStringLiteral("no output directory was given"));
    const QString outputDirectory = QFileInfo(options.outputDirectory).absoluteFilePath();
    const Status outputUsable = checkOutputDirectory(outputDirectory);
    if (!outputUsable)
        return outputUsable.error();
    const double learningRate = options.learningRate > 0
                                    ? options.learningRate
                                    : (options.headOnly ? FinetuneOptions::kDefaultHeadOnlyLearningRate
                                                        : FinetuneOptions::kDefaultFullLearningRate);

    QElapsedTimer timer;
    timer.start();
    Result<ProjectData> project = ProjectFile::load(options.projectPath);
    if (!project)
        return project.error();
    if (options.threads > 0)
        TimeSformerModel::setThreadCount(options.threads);

    try {
        torch::manual_seed(options.seed);
        Result<TimeSformerModel> loaded = TimeSformerModel::load(options.model);
        if (!loaded)
            return loaded.error();
        Result<PreprocessPreset> preset =
            PreprocessPreset::forModel(loaded->config(), TimeSformerModel::resolveSource(options.model));
        if (!preset)
            return preset.error();
        preset->views = 1;
        preset->samplingRate = options.samplingRate > 0 ? options.samplingRate
                                                        : modelSamplingRate(options.model, loaded->config());

        // A model with a background class also learns from the stretches the annotator showed idle.
        const int backgroundIndex = TemporalDecoder::backgroundClassIndex(loaded->labels());
        const QString backgroundLabel =
            backgroundIndex >= 0 ? loaded->labels().at(backgroundIndex) : QString();
        const double clipSeconds = preset->spanFrames(preset->targetFps) / preset->targetFps;
        Result<SplitPlan> split =
            splitSegments(project.value(), options.projectPath, options.seed, backgroundLabel, clipSeconds);
        if (!split)
            return split.error();
        std::vector<LabelledSegment>& segments = split->segments;
        for (const LabelledSegment& segment : segments)
            if (segment.video->missing || !QFileInfo::exists(segment.video->path))
                return Error::notFound(
                    segment.video->path,
                    QStringLiteral("video '%1' of project %2 is missing; relink it in the project")
                        .arg(segment.video->id, options.projectPath));

        FinetuneSummary summary;
        summary.splitNote = split->note;
        summary.epochs = options.epochs;
        summary.directory = outputDirectory;
        for (const LabelledSegment& segment : segments)
            (segment.val ? summary.valSegments : summary.trainSegments) += 1;
        Result<QStringList> classes =
            mapLabels(segments, loaded->labels(), project->labels, options.addMissingClasses,
                      options.projectPath, &summary.addedClasses);
        if (!classes)
            return classes.error();
        // The head as loaded, to measure the model before fine-tuning.
        const torch::Tensor originalHeadWeight = loaded->net()->head->weight.detach().clone();
        const torch::Tensor originalHeadBias = loaded->net()->head->bias.detach().clone();
        Result<TimeSformerModel> tuned = withClasses(std::move(loaded).value(), classes.value());
        if (!tuned)
            return tuned.error();
        TimeSformerNet& net = tuned->net();
        if (cancel.isCancelled())
            return Error::cancelled();

        Result<ExtractedClips> clips =
            extractClips(segments, preset.value(), net, options, cancel, progress, timer);
        if (!clips)
            return clips.error();
        summary.trainClips = clips->train.size();
        summary.valClips = clips->val.size();
        if (summary.trainClips == 0 || summary.valClips == 0)
            return Error::invalidData(options.projectPath,
                                      QStringLiteral("no clips to train on or to validate with"));

        const torch::Device device = net->head->weight.device();
        const torch::Tensor valFeatures = torch::stack(clips->val.features).to(device);
        std::vector<int64_t> predictionsBefore;
        {
            torch::NoGradGuard noGrad;
            const torch::Tensor logits =
                torch::linear(valFeatures, originalHeadWeight.to(device), originalHeadBias.to(device));
            appendPredictions(logits, predictionsBefore);
            summary.valAccuracyBefore = accuracy(predictionsBefore, clips->val.targets);
        }

        // Head-only: nothing but the head may change, bit for bit.
        if (options.headOnly)
            for (auto& parameter : net->parameters())
                parameter.set_requires_grad(false);
        net->head->weight.set_requires_grad(true);
        net->head->bias.set_requires_grad(true);
        // Only the rows the head gained learn when asked to leave the model's own classes as they were.
        const int64_t lockedClasses =
            options.onlyNewClasses ? static_cast<int64_t>(classes->size() - summary.addedClasses.size()) : 0;
        Result<double> loss = trainEpochs(net, clips->train, options, lockedClasses, learningRate, cancel,
                                          progress, timer, outputDirectory);
        for (auto& parameter : net->parameters())
            parameter.set_requires_grad(true);
        if (!loss)
            return loss.error();
        summary.finalLoss = loss.value();
        Result<std::vector<int64_t>> predictionsAfter =
            valPredictions(net, clips->val, valFeatures, options, cancel);
        if (!predictionsAfter)
            return predictionsAfter.error();
        summary.valAccuracyAfter = accuracy(predictionsAfter.value(), clips->val.targets);
        summary.perClass = classRecalls(classes.value(), summary.addedClasses, clips->val.targets,
                                        predictionsBefore, predictionsAfter.value());
        if (cancel.isCancelled())
            return Error::cancelled();

        summary.seconds = timer.elapsed() / 1000.0;
        const Status written =
            writeOutput(tuned.value(), preset->samplingRate,
                        describeRun(options, summary, learningRate, preset.value()), outputDirectory);
        if (!written)
            return written.error();
        return summary;
    } catch (const std::exception& error) {
        return Error{ErrorCategory::Internal,
                     QStringLiteral("fine-tuning failed: %1").arg(QString::fromUtf8(error.what())),
                     outputDirectory};
    }
}

} // namespace saccade
