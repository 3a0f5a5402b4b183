#include "commands.h"

#include "core/training/finetuner.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTextStream>

namespace saccade::cli {

namespace {

QString clockText(double seconds) {
    const int total = static_cast<int>(seconds + 0.5);
    return QStringLiteral("%1:%2").arg(total / 60).arg(total % 60, 2, 10, QLatin1Char('0'));
}

QString percentText(double share) {
    return QStringLiteral("%1%").arg(share * 100.0, 0, 'f', 1);
}

QJsonObject summaryJson(const FinetuneSummary& summary) {
    return QJsonObject{
        {QStringLiteral("directory"), summary.directory},
        {QStringLiteral("val_accuracy_before"), summary.valAccuracyBefore},
        {QStringLiteral("val_accuracy_after"), summary.valAccuracyAfter},
        {QStringLiteral("train_segments"), summary.trainSegments},
        {QStringLiteral("val_segments"), summary.valSegments},
        {QStringLiteral("train_clips"), summary.trainClips},
        {QStringLiteral("val_clips"), summary.valClips},
        {QStringLiteral("epochs"), summary.epochs},
        {QStringLiteral("final_loss"), summary.finalLoss},
        {QStringLiteral("seconds"), summary.seconds},
        {QStringLiteral("added_classes"), QJsonArray::fromStringList(summary.addedClasses)},
        {QStringLiteral("val_recall_per_class"), classRecallsJson(summary.perClass)},
        {QStringLiteral("split"), summary.splitNote},
    };
}

} // namespace

int runFinetune(CliContext& context) {
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Fine-tune MODEL on the accepted and edited segments of PROJECT and report top-1 accuracy on the "
        "project's val split before and after. Labels the model lacks become new classes. Without a val "
        "split in the project, a fifth of the segments is held out (stratified by label, by seed). Writes "
        "a Hugging Face directory (class names included) and finetune.json."));
    parser.addPositionalArgument(QStringLiteral("MODEL"),
                                 QStringLiteral("Checkpoint file, Hugging Face directory, or demo."));
    parser.addPositionalArgument(QStringLiteral("PROJECT"), QStringLiteral("The .saccade project."));
    const QCommandLineOption outOption(QStringLiteral("out"),
                                       QStringLiteral("Output folder (new, empty, or a model to replace)."),
                                       QStringLiteral("dir"));
    const QCommandLineOption headOnlyOption(
        QStringLiteral("head-only"),
        QStringLiteral("Train only the classification head on features computed once (fast)."));
    const QCommandLineOption epochsOption(QStringLiteral("epochs"), QStringLiteral("Epochs (default 5)."),
                                          QStringLiteral("n"), QStringLiteral("5"));
    const QCommandLineOption lrOption(
        QStringLiteral("lr"),
        QStringLiteral("AdamW learning rate (default %1 head-only, %2 full; the head learns %3x faster "
                       "in full mode).")
            .arg(FinetuneOptions::kDefaultHeadOnlyLearningRate)
            .arg(FinetuneOptions::kDefaultFullLearningRate)
            .arg(FinetuneOptions::kHeadLearningRateScale),
        QStringLiteral("x"));
    const QCommandLineOption batchOption(QStringLiteral("batch"),
                                         QStringLiteral("Clips per step (default 8)."), QStringLiteral("n"),
                                         QStringLiteral("8"));
    const QCommandLineOption clipsOption(QStringLiteral("clips-per-segment"),
                                         QStringLiteral("Clips taken from each segment (default 4)."),
                                         QStringLiteral("n"), QStringLiteral("4"));
    const QCommandLineOption seedOption(QStringLiteral("seed"), QStringLiteral("Seed (default 1)."),
                                        QStringLiteral("n"), QStringLiteral("1"));
    const QCommandLineOption samplingOption(
        QStringLiteral("sampling-rate"),
        QStringLiteral("Source-frame stride at 30 fps (default: the model's)."), QStringLiteral("n"));
    const QCommandLineOption threadsOption(QStringLiteral("threads"),
                                           QStringLiteral("Intra-op threads (default: all cores)."),
                                           QStringLiteral("n"), QStringLiteral("0"));
    const QCommandLineOption jsonOption(QStringLiteral("json"),
                                        QStringLiteral("Print the result as JSON (no progress lines)."));
    const QCommandLineOption newOnlyOption(
        QStringLiteral("new-classes-only"),
        QStringLiteral("Train only the head rows of the classes the model gains; its own classes keep "
                       "their weights (teach a new class without touching the old ones)."));
    parser.addOptions({newOnlyOption, outOption, headOnlyOption, epochsOption, lrOption, batchOption,
                       clipsOption, seedOption, samplingOption, threadsOption, jsonOption});
    const QString command = QStringLiteral("finetune");
    if (!parseArguments(parser, command, context))
        return kExitUsage;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 2)
        return reportUsage(command, QStringLiteral("expected MODEL and PROJECT"));
    if (!parser.isSet(outOption))
        return reportUsage(command, QStringLiteral("--out is required"));

    FinetuneOptions options;
    options.model = positional[0];
    options.projectPath = positional[1];
    options.outputDirectory = parser.value(outOption);
    options.headOnly = parser.isSet(headOnlyOption);
    options.onlyNewClasses = parser.isSet(newOnlyOption);
    bool ok = false;
    options.epochs = parser.value(epochsOption).toInt(&ok);
    if (!ok || options.epochs <= 0 || options.epochs > 100000)
        return reportUsage(command, QStringLiteral("--epochs must be a positive integer"));
    if (parser.isSet(lrOption)) {
        options.learningRate = parser.value(lrOption).toDouble(&ok);
        if (!ok || options.learningRate <= 0 || options.learningRate > 1)
            return reportUsage(command, QStringLiteral("--lr must be a number in (0, 1]"));
    }
    options.batchSize = parser.value(batchOption).toInt(&ok);
    if (!ok || options.batchSize <= 0 || options.batchSize > 4096)
        return reportUsage(command, QStringLiteral("--batch must be an integer in [1, 4096]"));
    options.clipsPerSegment = parser.value(clipsOption).toInt(&ok);
    if (!ok || options.clipsPerSegment <= 0 || options.clipsPerSegment > 64)
        return reportUsage(command, QStringLiteral("--clips-per-segment must be an integer in [1, 64]"));
    options.seed = parser.value(seedOption).toULongLong(&ok);
    if (!ok)
        return reportUsage(command, QStringLiteral("--seed must be a non-negative integer"));
    if (parser.isSet(samplingOption)) {
        options.samplingRate = parser.value(samplingOption).toInt(&ok);
        if (!ok || options.samplingRate <= 0)
            return reportUsage(command, QStringLiteral("--sampling-rate must be a positive integer"));
    }
    options.threads = parser.value(threadsOption).toInt(&ok);
    if (!ok || options.threads < 0)
        return reportUsage(command, QStringLiteral("--threads must be a non-negative integer"));
    const bool json = parser.isSet(jsonOption);

    QTextStream out(stdout);
    int lastPercent = -1;
    auto lastPhase = FinetuneProgress::Phase::ExtractingClips;
    Finetuner finetuner(options);
    const Result<FinetuneSummary> result =
        finetuner.run(context.cancel, [&](const FinetuneProgress& progress) {
            if (json)
                return;
            // One line per 10% of each phase, and its last step.
            const int percent = progress.step * 10 / std::max(1, progress.steps);
            if (progress.phase == lastPhase && percent == lastPercent && progress.step != progress.steps)
                return;
            lastPhase = progress.phase;
            lastPercent = percent;
            if (progress.phase == FinetuneProgress::Phase::ExtractingClips)
                out << QStringLiteral("clips %1/%2  elapsed %3  left %4")
                           .arg(progress.step)
                           .arg(progress.steps)
                           .arg(clockText(progress.elapsedSeconds), clockText(progress.remainingSeconds));
            else
                out << QStringLiteral("epoch %1/%2  step %3/%4  loss %5  elapsed %6  left %7")
                           .arg(progress.epoch)
                           .arg(progress.epochs)
                           .arg(progress.step)
                           .arg(progress.steps)
                           .arg(progress.loss, 0, 'f', 4)
                           .arg(clockText(progress.elapsedSeconds), clockText(progress.remainingSeconds));
            out << '\n';
            out.flush();
        });
    if (!result)
        return reportError(result.error());
    const FinetuneSummary& summary = result.value();
    if (json) {
        printJson(QJsonDocument(summaryJson(summary)));
        return kExitOk;
    }
    printLine(QStringLiteral("split: %1").arg(summary.splitNote));
    if (!summary.addedClasses.isEmpty())
        printLine(QStringLiteral("new classes: %1").arg(summary.addedClasses.join(QStringLiteral(", "))));
    printLine(QStringLiteral("trained on %1 clips of %2 segments, validated on %3 clips of %4 segments")
                  .arg(summary.trainClips)
                  .arg(summary.trainSegments)
                  .arg(summary.valClips)
                  .arg(summary.valSegments));
    printLine(QStringLiteral("val accuracy: %1 before, %2 after (%3 epochs, final loss %4, %5); wrote %6")
                  .arg(percentText(summary.valAccuracyBefore), percentText(summary.valAccuracyAfter))
                  .arg(summary.epochs)
                  .arg(summary.finalLoss, 0, 'f', 4)
                  .arg(clockText(summary.seconds), summary.directory));
    for (const ClassRecall& recall : summary.perClass)
        printLine(QStringLiteral("  %1%2  recall %3 -> %4 (%5 val clips)")
                      .arg(recall.label, recall.added ? QStringLiteral(" (new)") : QString())
                      .arg(percentText(recall.before), percentText(recall.after))
                      .arg(recall.valClips));
    return kExitOk;
}

} // namespace saccade::cli
