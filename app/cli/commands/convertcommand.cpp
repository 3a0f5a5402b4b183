#include "commands.h"

#include "core/model/checkpoint.h"
#include "core/model/timesformermodel.h"

namespace saccade::cli {

int runConvert(CliContext& context) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Write a TimeSformer checkpoint as a Hugging Face directory (config.json, "
                       "preprocessor_config.json, model.safetensors in float32)."));
    parser.addPositionalArgument(QStringLiteral("MODEL"),
                                 QStringLiteral("Checkpoint file, HF directory or 'demo'."));
    parser.addOption({QStringLiteral("out"), QStringLiteral("Output directory."), QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("heads"),
                      QStringLiteral("Attention heads (default: config, else D/64)."), QStringLiteral("N")});
    if (!parseArguments(parser, QStringLiteral("convert"), context))
        return kExitUsage;
    if (parser.positionalArguments().size() != 1 || !parser.isSet(QStringLiteral("out")))
        return reportUsage(QStringLiteral("convert"), QStringLiteral("expected MODEL and --out DIR"));
    CheckpointOptions options;
    if (parser.isSet(QStringLiteral("heads"))) {
        bool ok = false;
        options.numHeads = parser.value(QStringLiteral("heads")).toInt(&ok);
        if (!ok || *options.numHeads <= 0)
            return reportUsage(QStringLiteral("convert"), QStringLiteral("--heads needs a positive number"));
    }
    const QString path = TimeSformerModel::resolveSource(parser.positionalArguments().first());
    Result<Checkpoint> checkpoint = loadCheckpoint(path, options);
    if (!checkpoint.ok())
        return reportError(checkpoint.error());
    const QString out = parser.value(QStringLiteral("out"));
    const Status saved = saveHfDirectory(out, checkpoint->config, checkpoint->tensors);
    if (!saved.ok())
        return reportError(saved.error());
    printLine(QStringLiteral("%1 (%2) -> %3 (hf safetensors, %4 tensors)")
                  .arg(path, checkpoint->format, out)
                  .arg(checkpoint->tensors.size()));
    return kExitOk;
}

} // namespace saccade::cli
