#include "commands.h"

#include "core/media/imagefile.h"
#include "core/model/timesformermodel.h"
#include "core/training/evaluator.h"
#include "core/util/atomicfile.h"

#include <QDir>
#include <QImage>
#include <QJsonArray>
#include <QPainter>

#include <algorithm>

namespace saccade::cli {

namespace {

// Confusion matrix as a heat map (rows: true classes, columns: predictions, both in label order; the
// command line has no fonts, so the labelled counts go to confusion.csv beside it).
Status writeConfusionPlot(const EvaluationReport& report, const QString& folder) {
    const int n = static_cast<int>(report.labels.size());
    const int cell = 32;
    QImage image(n * cell, n * cell, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    QString csv =
        QStringLiteral("true\\predicted,") + report.labels.join(QLatin1Char(',')) + QLatin1Char('\n');
    for (int r = 0; r < n; ++r) {
        int total = 0;
        for (int count : report.confusion[r])
            total += count;
        csv += report.labels[r];
        for (int c = 0; c < n; ++c) {
            const double share = total > 0 ? static_cast<double>(report.confusion[r][c]) / total : 0.0;
            painter.fillRect(QRect(c * cell, r * cell, cell, cell),
                             QColor::fromRgbF(1.0 - share, 1.0 - 0.6 * share, 1.0));
            csv += QLatin1Char(',') + QString::number(report.confusion[r][c]);
        }
        csv += QLatin1Char('\n');
    }
    painter.end();
    const QString imagePath = QDir(folder).filePath(QStringLiteral("confusion.png"));
    Status written = writeImageFile(imagePath, image);
    if (!written)
        return written;
    const QString csvPath = QDir(folder).filePath(QStringLiteral("confusion.csv"));
    return writeFileAtomically(csvPath, csv.toUtf8());
}

} // namespace

int runEval(CliContext& context) {
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Evaluate a model on held-out synthetic action clips: "
                                                    "top-1, per-class accuracy, confusion matrix and "
                                                    "the attention-on-actor ratio (share of the cls "
                                                    "attention rollout inside the actor's box divided by the "
                                                    "box's share of the frame)."));
    parser.addPositionalArgument(QStringLiteral("model"),
                                 QStringLiteral("Model directory, checkpoint or 'demo'."));
    const QCommandLineOption clipsOption(QStringLiteral("synthetic"),
                                         QStringLiteral("Clips to test (default 500)."), QStringLiteral("n"),
                                         QStringLiteral("500"));
    const QCommandLineOption seedOption(QStringLiteral("seed"), QStringLiteral("Seed (default 1)."),
                                        QStringLiteral("n"), QStringLiteral("1"));
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("Print the report as JSON."));
    const QCommandLineOption plotOption(QStringLiteral("plot"),
                                        QStringLiteral("Write confusion.png and confusion.csv here."),
                                        QStringLiteral("dir"));
    const QCommandLineOption noAttentionOption(QStringLiteral("no-attention"),
                                               QStringLiteral("Skip the attention measurement (faster)."));
    parser.addOptions({clipsOption, seedOption, jsonOption, plotOption, noAttentionOption});
    const QString command = QStringLiteral("eval");
    if (!parseArguments(parser, command, context))
        return kExitUsage;
    if (parser.positionalArguments().size() != 1)
        return reportUsage(command, QStringLiteral("expected one model"));

    EvaluationOptions options;
    bool ok = false;
    options.clips = parser.value(clipsOption).toInt(&ok);
    if (!ok || options.clips <= 0)
        return reportUsage(command, QStringLiteral("--synthetic must be a positive integer"));
    options.seed = parser.value(seedOption).toULongLong(&ok);
    if (!ok)
        return reportUsage(command, QStringLiteral("--seed must be a non-negative integer"));
    options.attention = !parser.isSet(noAttentionOption);

    Result<TimeSformerModel> model = TimeSformerModel::load(parser.positionalArguments().first());
    if (!model)
        return reportError(model.error());
    const Result<EvaluationReport> report = Evaluator::evaluate(model.value(), options, context.cancel);
    if (!report)
        return reportError(report.error());

    if (parser.isSet(plotOption)) {
        const QString folder = parser.value(plotOption);
        if (!QDir().mkpath(folder))
            return reportError(Error::io(folder, QStringLiteral("cannot create the folder")));
        const Status plotted = writeConfusionPlot(report.value(), folder);
        if (!plotted)
            return reportError(plotted.error());
    }
    if (parser.isSet(jsonOption)) {
        printJson(QJsonDocument(report->toJson()));
        return kExitOk;
    }
    printLine(QStringLiteral("%1 clips, top-1 %2%").arg(report->clips).arg(report->top1 * 100, 0, 'f', 2));
    printLine(QStringLiteral("right motion %1%, of those right direction in time %2%")
                  .arg(report->pairAccuracy * 100, 0, 'f', 2)
                  .arg(report->directionAccuracy * 100, 0, 'f', 2));
    // Held-out clips each show an action: a background class has no accuracy of its own.
    for (int i = 0; i < std::min<int>(report->labels.size(), int(report->perClassAccuracy.size())); ++i)
        printLine(QStringLiteral("  %1 %2%")
                      .arg(report->labels[i], -26)
                      .arg(report->perClassAccuracy[i] * 100, 0, 'f', 1));
    if (report->attentionOnActor >= 0)
        printLine(
            QStringLiteral("attention on actor (rollout): %1").arg(report->attentionOnActor, 0, 'f', 2));
    if (report->lastLayerClsOnActor >= 0)
        printLine(QStringLiteral("attention on actor (last layer cls): %1")
                      .arg(report->lastLayerClsOnActor, 0, 'f', 2));
    return kExitOk;
}

} // namespace saccade::cli
