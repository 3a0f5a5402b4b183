#include "commands.h"

#include "core/model/checkpoint.h"
#include "core/model/cpufeatures.h"
#include "core/model/timesformermodel.h"

#include <QJsonArray>
#include <QJsonObject>

namespace saccade::cli {

int runInfo(CliContext& context) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Describe a TimeSformer checkpoint (research .pyth, Hugging Face "
                       "directory, .safetensors, or 'demo')."));
    parser.addPositionalArgument(QStringLiteral("MODEL"),
                                 QStringLiteral("Checkpoint file, HF directory or 'demo'."));
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    parser.addOption({QStringLiteral("heads"),
                      QStringLiteral("Attention heads (default: config, else D/64)."), QStringLiteral("N")});
    if (!parseArguments(parser, QStringLiteral("info"), context))
        return kExitUsage;
    if (parser.positionalArguments().size() != 1)
        return reportUsage(QStringLiteral("info"), QStringLiteral("expected one MODEL"));
    CheckpointOptions options;
    if (parser.isSet(QStringLiteral("heads"))) {
        bool ok = false;
        options.numHeads = parser.value(QStringLiteral("heads")).toInt(&ok);
        if (!ok || *options.numHeads <= 0)
            return reportUsage(QStringLiteral("info"), QStringLiteral("--heads needs a positive number"));
    }
    const QString source = parser.positionalArguments().first();
    const QString path = TimeSformerModel::resolveSource(source);
    Result<Checkpoint> checkpoint = loadCheckpoint(path, options);
    if (!checkpoint.ok()) {
        if (source == QLatin1String("demo") && checkpoint.error().category == ErrorCategory::NotFound)
            return reportError(
                Error::notFound(path, QStringLiteral("the demo model has not been trained yet")));
        return reportError(checkpoint.error());
    }
    const TimeSformerConfig& config = checkpoint->config;
    int64_t parameters = 0;
    for (const auto& [name, tensor] : checkpoint->tensors)
        parameters += tensor.elementCount();
    const CpuFeatures cpu = CpuFeatures::detect();

    QJsonObject json;
    json.insert(QStringLiteral("path"), path);
    json.insert(QStringLiteral("format"), checkpoint->format);
    json.insert(QStringLiteral("attention_type"), attentionTypeName(config.attentionType));
    json.insert(QStringLiteral("image_size"), config.imageSize);
    json.insert(QStringLiteral("patch_size"), config.patchSize);
    json.insert(QStringLiteral("num_frames"), config.numFrames);
    json.insert(QStringLiteral("hidden_size"), config.hiddenSize);
    json.insert(QStringLiteral("depth"), config.depth);
    json.insert(QStringLiteral("heads"), config.numHeads);
    json.insert(QStringLiteral("mlp_ratio"), config.mlpRatio);
    json.insert(QStringLiteral("num_classes"), config.numClasses);
    json.insert(QStringLiteral("labels"), static_cast<int>(config.labels.size()));
    json.insert(QStringLiteral("parameters"), static_cast<double>(parameters));
    json.insert(QStringLiteral("tensors"), static_cast<int>(checkpoint->tensors.size()));
    json.insert(QStringLiteral("preprocessing"), config.preprocessing);
    json.insert(QStringLiteral("channel_order"), config.bgr ? QStringLiteral("BGR") : QStringLiteral("RGB"));
    json.insert(QStringLiteral("bfloat16_available"), cpu.hasFastBfloat16());
    if (parser.isSet(QStringLiteral("json"))) {
        printJson(QJsonDocument(json));
        return kExitOk;
    }
    printLine(QStringLiteral("%1 (%2)").arg(path, checkpoint->format));
    printLine(QStringLiteral("  attention      %1").arg(attentionTypeName(config.attentionType)));
    printLine(QStringLiteral("  input          %1 frames x %2 px, patch %3 (grid %4x%4)")
                  .arg(config.numFrames)
                  .arg(config.imageSize)
                  .arg(config.patchSize)
                  .arg(config.gridSize()));
    printLine(QStringLiteral("  transformer    D=%1, %2 layers, %3 heads, MLP ratio %4")
                  .arg(config.hiddenSize)
                  .arg(config.depth)
                  .arg(config.numHeads)
                  .arg(config.mlpRatio));
    printLine(
        QStringLiteral("  classes        %1 (%2 labels)").arg(config.numClasses).arg(config.labels.size()));
    printLine(
        QStringLiteral("  parameters     %1 in %2 tensors").arg(parameters).arg(checkpoint->tensors.size()));
    printLine(QStringLiteral("  preprocessing  %1, %2")
                  .arg(config.preprocessing, json.value("channel_order").toString()));
    printLine(QStringLiteral("  bfloat16       %1 (%2)")
                  .arg(cpu.hasFastBfloat16() ? QStringLiteral("available")
                                             : QStringLiteral("not offered: no "
                                                              "AVX512-BF16/AMX"),
                       cpu.summary()));
    return kExitOk;
}

} // namespace saccade::cli
