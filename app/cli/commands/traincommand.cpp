#include "commands.h"

#include "core/training/trainer.h"

#include <QTextStream>

namespace saccade::cli {

namespace {

QString clock(double seconds) {
    const int total = static_cast<int>(seconds + 0.5);
    return QStringLiteral("%1:%2").arg(total / 60).arg(total % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

int runTrain(CliContext& context) {
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Train a TimeSformer on synthetic actions and write it as a Hugging Face directory (config.json with "
        "the class names, preprocessor_config.json, model.safetensors, training.json)."));
    const QCommandLineOption presetOption(QStringLiteral("preset"),
                                          QStringLiteral("Model preset (default demo)."),
                                          QStringLiteral("name"), QStringLiteral("demo"));
    const QCommandLineOption outOption(QStringLiteral("out"), QStringLiteral("Output folder."),
                                       QStringLiteral("dir"));
    const QCommandLineOption attentionOption(
        QStringLiteral("attention"),
        QStringLiteral("Attention type: %1 (default divided_space_time).")
            .arg(attentionTypeNames().join(QStringLiteral(", "))),
        QStringLiteral("type"), QStringLiteral("divided_space_time"));
    const QCommandLineOption seedOption(QStringLiteral("seed"), QStringLiteral("Seed (default 1)."),
                                        QStringLiteral("n"), QStringLiteral("1"));
    const QCommandLineOption stepsOption(QStringLiteral("steps"),
                                         QStringLiteral("Optimizer steps (default 2000)."),
                                         QStringLiteral("n"), QStringLiteral("2000"));
    const QCommandLineOption batchOption(QStringLiteral("batch"),
                                         QStringLiteral("Clips per step (default 32)."), QStringLiteral("n"),
                                         QStringLiteral("32"));
    const QCommandLineOption lrOption(QStringLiteral("lr"),
                                      QStringLiteral("Peak learning rate (default 0.001)."),
                                      QStringLiteral("x"), QStringLiteral("0.001"));
    const QCommandLineOption curriculumOption(
        QStringLiteral("curriculum"),
        QStringLiteral(
            "Share of the steps over which distractors and grain grow from none to full (default 0)."),
        QStringLiteral("x"), QStringLiteral("0"));
    const QCommandLineOption distinctOption(
        QStringLiteral("distinct-batches"),
        QStringLiteral("Cycle through this many fixed batches instead of new clips every step (default 0: "
                       "always new clips; a small number checks that the model can fit its data)."),
        QStringLiteral("n"), QStringLiteral("0"));
    const QCommandLineOption actorLossOption(
        QStringLiteral("actor-loss"),
        QStringLiteral("Weight of the auxiliary loss that teaches the patch tokens where the actor is "
                       "(default 1; 0 trains on the class alone)."),
        QStringLiteral("w"), QStringLiteral("1"));
    const QCommandLineOption headingLossOption(
        QStringLiteral("heading-loss"),
        QStringLiteral("Weight of the auxiliary loss that teaches the actor's patch tokens which way it "
                       "points in each frame (default 0: off)."),
        QStringLiteral("w"), QStringLiteral("0"));
    const QCommandLineOption pairsOption(
        QStringLiteral("reversed-pairs"),
        QStringLiteral("Batches of time-reversed pairs: every second clip is the one before it played "
                       "backwards."));
    const QCommandLineOption backgroundOption(
        QStringLiteral("background-share"),
        QStringLiteral("Share of every batch cut from synthetic timelines, labelled by overlap: teaches a "
                       "'background' class on idle stretches and partly covered windows (default 0: no "
                       "background class)."),
        QStringLiteral("x"), QStringLiteral("0"));
    const QCommandLineOption threadsOption(QStringLiteral("threads"),
                                           QStringLiteral("Intra-op threads (default: all cores)."),
                                           QStringLiteral("n"), QStringLiteral("0"));
    const QCommandLineOption resumeOption(
        QStringLiteral("resume"), QStringLiteral("Continue from the checkpoint in the output folder."));
    const QCommandLineOption imageOption(QStringLiteral("image-size"),
                                         QStringLiteral("Override the preset's frame side in pixels."),
                                         QStringLiteral("px"));
    const QCommandLineOption patchOption(QStringLiteral("patch"), QStringLiteral("Override the patch side."),
                                         QStringLiteral("px"));
    const QCommandLineOption hiddenOption(QStringLiteral("hidden"), QStringLiteral("Override the width."),
                                          QStringLiteral("n"));
    const QCommandLineOption depthOption(QStringLiteral("depth"), QStringLiteral("Override the block count."),
                                         QStringLiteral("n"));
    const QCommandLineOption headsOption(QStringLiteral("heads"), QStringLiteral("Override the head count."),
                                         QStringLiteral("n"));
    const QCommandLineOption initOption(
        QStringLiteral("init-from"),
        QStringLiteral("Start from this model's weights (same width and depth; position embeddings resized "
                       "to another input size, head rows kept for the classes both have) instead of random "
                       "ones."),
        QStringLiteral("model"));
    parser.addOption(initOption);
    parser.addOptions({presetOption,      outOption,   attentionOption,  seedOption,     stepsOption,
                       batchOption,       lrOption,    curriculumOption, distinctOption, actorLossOption,
                       headingLossOption, pairsOption, backgroundOption, threadsOption,  resumeOption,
                       imageOption,       patchOption, hiddenOption,     depthOption,    headsOption});
    const QString command = QStringLiteral("train");
    if (!parseArguments(parser, command, context))
        return kExitUsage;
    if (!parser.isSet(outOption))
        return reportUsage(command, QStringLiteral("--out is required"));

    TrainingOptions options;
    options.preset = parser.value(presetOption);
    options.outputDirectory = parser.value(outOption);
    options.resume = parser.isSet(resumeOption);
    options.initFrom = parser.value(initOption);
    const std::optional<AttentionType> attention = parseAttentionType(parser.value(attentionOption));
    if (!attention)
        return reportUsage(command,
                           QStringLiteral("unknown attention type '%1'").arg(parser.value(attentionOption)));
    options.attentionType = *attention;
    bool ok = false;
    options.seed = parser.value(seedOption).toULongLong(&ok);
    if (!ok)
        return reportUsage(command, QStringLiteral("--seed must be a non-negative integer"));
    options.steps = parser.value(stepsOption).toInt(&ok);
    if (!ok || options.steps <= 0)
        return reportUsage(command, QStringLiteral("--steps must be a positive integer"));
    options.batchSize = parser.value(batchOption).toInt(&ok);
    if (!ok || options.batchSize <= 0 || options.batchSize > 4096)
        return reportUsage(command, QStringLiteral("--batch must be an integer in [1, 4096]"));
    options.learningRate = parser.value(lrOption).toDouble(&ok);
    if (!ok || options.learningRate <= 0 || options.learningRate > 1)
        return reportUsage(command, QStringLiteral("--lr must be a number in (0, 1]"));
    options.minLearningRate = std::min(options.minLearningRate, options.learningRate / 10);
    options.curriculumFraction = parser.value(curriculumOption).toDouble(&ok);
    if (!ok || options.curriculumFraction < 0 || options.curriculumFraction > 1)
        return reportUsage(command, QStringLiteral("--curriculum must be a number in [0, 1]"));
    options.backgroundShare = parser.value(backgroundOption).toDouble(&ok);
    if (!ok || options.backgroundShare < 0 || options.backgroundShare > 1)
        return reportUsage(command, QStringLiteral("--background-share must be a number in [0, 1]"));
    options.distinctBatches = parser.value(distinctOption).toInt(&ok);
    if (!ok || options.distinctBatches < 0)
        return reportUsage(command, QStringLiteral("--distinct-batches must be a non-negative integer"));
    options.actorLossWeight = parser.value(actorLossOption).toDouble(&ok);
    if (!ok || options.actorLossWeight < 0)
        return reportUsage(command, QStringLiteral("--actor-loss must be a non-negative number"));
    options.headingLossWeight = parser.value(headingLossOption).toDouble(&ok);
    if (!ok || options.headingLossWeight < 0)
        return reportUsage(command, QStringLiteral("--heading-loss must be a non-negative number"));
    options.timeReversedPairs = parser.isSet(pairsOption);
    options.threads = parser.value(threadsOption).toInt(&ok);
    if (!ok || options.threads < 0)
        return reportUsage(command, QStringLiteral("--threads must be a non-negative integer"));
    options.checkpointEverySteps = std::max(10, options.steps / 20);

    // Architecture overrides start from the preset and keep everything else it sets.
    const QList<std::pair<QCommandLineOption, int TimeSformerConfig::*>> overrides = {
        {imageOption, &TimeSformerConfig::imageSize},   {patchOption, &TimeSformerConfig::patchSize},
        {hiddenOption, &TimeSformerConfig::hiddenSize}, {depthOption, &TimeSformerConfig::depth},
        {headsOption, &TimeSformerConfig::numHeads},
    };
    for (const auto& [option, field] : overrides) {
        if (!parser.isSet(option))
            continue;
        if (!options.config) {
            const std::optional<TimeSformerConfig> preset = TimeSformerConfig::preset(options.preset);
            if (!preset)
                return reportUsage(command, QStringLiteral("unknown preset '%1'").arg(options.preset));
            options.config = *preset;
            options.config->attentionType = options.attentionType;
        }
        const int value = parser.value(option).toInt(&ok);
        if (!ok || value <= 0 || value > 4096)
            return reportUsage(command,
                               QStringLiteral("--%1 must be a positive integer").arg(option.names().first()));
        (*options.config).*field = value;
    }

    QTextStream out(stdout);
    int lastPrinted = -1;
    Trainer trainer(options);
    const Result<TrainingSummary> result = trainer.run(context.cancel, [&](const TrainingProgress& progress) {
        // One line per 1% of the steps (and the first and last step).
        const int percent = progress.step * 100 / progress.steps;
        if (percent == lastPrinted && progress.step != 1 && progress.step != progress.steps)
            return;
        lastPrinted = percent;
        out << QStringLiteral("step %1/%2  loss %3 (avg %4)  actor %9  heading %10  train acc %5%  lr %6  "
                              "elapsed %7  left %8")
                   .arg(progress.step)
                   .arg(progress.steps)
                   .arg(progress.loss, 0, 'f', 4)
                   .arg(progress.averageLoss, 0, 'f', 4)
                   .arg(progress.averageAccuracy * 100, 0, 'f', 1)
                   .arg(progress.learningRate, 0, 'g', 3)
                   .arg(clock(progress.elapsedSeconds), clock(progress.remainingSeconds))
                   .arg(progress.actorLoss, 0, 'f', 3)
                   .arg(progress.headingLoss, 0, 'f', 3)
            << '\n';
        out.flush();
    });
    if (!result)
        return reportError(result.error());
    if (!result->initNote.isEmpty())
        printLine(QStringLiteral("started from %1: %2").arg(options.initFrom, result->initNote));
    printLine(QStringLiteral("trained %1 parameters for %2 steps in %3 (resumed at step %4); wrote %5")
                  .arg(result->parameters)
                  .arg(result->steps)
                  .arg(clock(result->seconds))
                  .arg(result->resumedFromStep)
                  .arg(result->directory));
    return kExitOk;
}

} // namespace saccade::cli
