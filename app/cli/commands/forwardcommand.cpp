#include "commands.h"

#include "core/model/timesformermodel.h"
#include "core/util/npy.h"

#include <QDir>
#include <QTextStream>

#include <algorithm>

namespace saccade::cli {

int runForward(CliContext& context) {
    const QString command = QStringLiteral("forward");
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Run a TimeSformer on a (B, 3, T, H, W) float32 .npy clip."));
    parser.addPositionalArgument(QStringLiteral("MODEL"),
                                 QStringLiteral("Checkpoint file, HF directory or 'demo'."));
    parser.addOption({QStringLiteral("input"), QStringLiteral("Input (B, 3, T, H, W) float32 .npy."),
                      QStringLiteral("IN.npy")});
    parser.addOption({QStringLiteral("logits"), QStringLiteral("Output (B, classes) float32 .npy."),
                      QStringLiteral("OUT.npy")});
    parser.addOption(
        {QStringLiteral("attention-dir"),
         QStringLiteral("Write every attention map (space_L{l}.npy, time_L{l}.npy, joint_L{l}.npy)."),
         QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("heads"),
                      QStringLiteral("Attention heads (default: config, else D/64)."), QStringLiteral("N")});
    parser.addOption({QStringLiteral("attention-type"),
                      QStringLiteral("Run as this attention type (%1).").arg(attentionTypeNames().join(", ")),
                      QStringLiteral("TYPE")});
    parser.addOption({QStringLiteral("dtype"), QStringLiteral("float32 (default) or bfloat16."),
                      QStringLiteral("D"), QStringLiteral("float32")});
    parser.addOption({QStringLiteral("threads"), QStringLiteral("Intra-op threads (default: all cores)."),
                      QStringLiteral("N")});
    if (!parseArguments(parser, command, context))
        return kExitUsage;
    if (parser.positionalArguments().size() != 1 || !parser.isSet(QStringLiteral("input")) ||
        !parser.isSet(QStringLiteral("logits")))
        return reportUsage(command, QStringLiteral("expected MODEL, --input IN.npy and --logits OUT.npy"));

    ModelOptions options;
    if (parser.isSet(QStringLiteral("heads"))) {
        bool ok = false;
        options.checkpoint.numHeads = parser.value(QStringLiteral("heads")).toInt(&ok);
        if (!ok || *options.checkpoint.numHeads <= 0)
            return reportUsage(command, QStringLiteral("--heads needs a positive number"));
    }
    if (parser.isSet(QStringLiteral("attention-type"))) {
        options.checkpoint.attentionType = parseAttentionType(parser.value(QStringLiteral("attention-type")));
        if (!options.checkpoint.attentionType)
            return reportUsage(command, QStringLiteral("unknown attention type '%1'")
                                            .arg(parser.value(QStringLiteral("attention-type"))));
    }
    const QString dtype = parser.value(QStringLiteral("dtype"));
    if (dtype != QLatin1String("float32") && dtype != QLatin1String("bfloat16"))
        return reportUsage(command, QStringLiteral("--dtype must be float32 or bfloat16"));
    options.precision = dtype == QLatin1String("bfloat16") ? Precision::BFloat16 : Precision::Float32;
    if (parser.isSet(QStringLiteral("threads")))
        TimeSformerModel::setThreadCount(parser.value(QStringLiteral("threads")).toInt());

    Result<FloatArray> input = readNpy(parser.value(QStringLiteral("input")));
    if (!input.ok())
        return reportError(input.error());
    Result<TimeSformerModel> model = TimeSformerModel::load(parser.positionalArguments().first(), options);
    if (!model.ok())
        return reportError(model.error());
    if (!model->precisionNote().isEmpty())
        QTextStream(stderr) << "saccade-cli forward: " << model->precisionNote() << '\n';
    if (context.cancel.isCancelled())
        return reportError(Error::cancelled());

    const QString attentionDir = parser.value(QStringLiteral("attention-dir"));
    Result<ForwardResult> result = model->forward(input.value(), !attentionDir.isEmpty());
    if (!result.ok()) {
        Error error = result.error();
        if (error.path.isEmpty())
            error.path = parser.value(QStringLiteral("input"));
        return reportError(error);
    }
    const Status written = writeNpy(parser.value(QStringLiteral("logits")), result->logits);
    if (!written.ok())
        return reportError(written.error());
    if (!attentionDir.isEmpty()) {
        if (!QDir().mkpath(attentionDir))
            return reportError(Error::io(attentionDir, QStringLiteral("cannot create the directory")));
        for (const AttentionMap& map : result->attention) {
            const Status saved = writeNpy(
                QDir(attentionDir).filePath(map.fileStem() + QStringLiteral(".npy")), map.probabilities);
            if (!saved.ok())
                return reportError(saved.error());
        }
    }
    const QStringList labels = model->labels();
    const int64_t classes = result->logits.shape.back();
    for (int64_t b = 0; b < result->logits.shape.front(); ++b) {
        const auto first = result->logits.values.begin() + b * classes;
        const auto best = std::max_element(first, first + classes);
        const auto index = static_cast<int>(best - first);
        printLine(QStringLiteral("clip %1: %2 (class %3, logit %4)")
                      .arg(b)
                      .arg(index < labels.size() ? labels[index] : QString::number(index))
                      .arg(index)
                      .arg(static_cast<double>(*best), 0, 'f', 4));
    }
    return kExitOk;
}

} // namespace saccade::cli
