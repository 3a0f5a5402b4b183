#include "commands.h"

#include "core/model/cpufeatures.h"
#include "core/model/modelbenchmark.h"
#include "core/model/timesformermodel.h"

#include <QJsonObject>
#include <QTextStream>

namespace saccade::cli {

int runBenchModel(CliContext& context) {
    const QString command = QStringLiteral("bench model");
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Time TimeSformer forward passes of one (1, 3, T, S, S) view: ms per view, achieved "
                       "GFLOP/s (analytic count), the matmul peak of this machine measured in the same run, "
                       "peak RSS. Without MODEL a preset with random weights is used."));
    parser.addPositionalArgument(QStringLiteral("MODEL"),
                                 QStringLiteral("Optional checkpoint, HF directory or "
                                                "'demo'."));
    parser.addOption({QStringLiteral("preset"), QStringLiteral("base (default), hr, l or demo."),
                      QStringLiteral("P"), QStringLiteral("base")});
    parser.addOption({QStringLiteral("attention"), QStringLiteral("Attention type of the preset."),
                      QStringLiteral("TYPE")});
    parser.addOption({QStringLiteral("frames"), QStringLiteral("Frames per view (default: the model's)."),
                      QStringLiteral("T")});
    parser.addOption({QStringLiteral("size"), QStringLiteral("Pixels per side (default: the model's)."),
                      QStringLiteral("S")});
    parser.addOption({QStringLiteral("layers"), QStringLiteral("Blocks of the preset (default: all)."),
                      QStringLiteral("K")});
    parser.addOption({QStringLiteral("dtype"), QStringLiteral("float32 (default) or bfloat16."),
                      QStringLiteral("D"), QStringLiteral("float32")});
    parser.addOption({QStringLiteral("runs"), QStringLiteral("Timed runs (default 3)."), QStringLiteral("N"),
                      QStringLiteral("3")});
    parser.addOption({QStringLiteral("warmup"), QStringLiteral("Untimed runs first (default 1)."),
                      QStringLiteral("N"), QStringLiteral("1")});
    parser.addOption({QStringLiteral("threads"), QStringLiteral("Intra-op threads (default: all cores)."),
                      QStringLiteral("N")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    if (!parseArguments(parser, command, context))
        return kExitUsage;
    if (parser.positionalArguments().size() > 1)
        return reportUsage(command, QStringLiteral("at most one MODEL"));

    auto positive = [&](const char* name, int fallback, int* out) {
        if (!parser.isSet(QLatin1String(name))) {
            *out = fallback;
            return true;
        }
        bool ok = false;
        *out = parser.value(QLatin1String(name)).toInt(&ok);
        return ok && *out > 0;
    };
    int threads = 0;
    if (!positive("threads", 0, &threads))
        return reportUsage(command, QStringLiteral("--threads needs a positive number"));
    if (threads > 0)
        TimeSformerModel::setThreadCount(threads);

    ModelOptions options;
    const QString dtype = parser.value(QStringLiteral("dtype"));
    if (dtype != QLatin1String("float32") && dtype != QLatin1String("bfloat16"))
        return reportUsage(command, QStringLiteral("--dtype must be float32 or bfloat16"));
    options.precision = dtype == QLatin1String("bfloat16") ? Precision::BFloat16 : Precision::Float32;
    std::optional<AttentionType> attention;
    if (parser.isSet(QStringLiteral("attention"))) {
        attention = parseAttentionType(parser.value(QStringLiteral("attention")));
        if (!attention)
            return reportUsage(
                command,
                QStringLiteral("unknown attention type '%1'").arg(parser.value(QStringLiteral("attention"))));
    }

    Result<TimeSformerModel> model = Error::invalidArgument(QString());
    QString modelName;
    int frames = 0;
    int size = 0;
    if (parser.positionalArguments().size() == 1) {
        modelName = parser.positionalArguments().first();
        options.checkpoint.attentionType = attention;
        model = TimeSformerModel::load(modelName, options);
        if (!model.ok())
            return reportError(model.error());
        if (!positive("frames", model->config().numFrames, &frames) ||
            !positive("size", model->config().imageSize, &size))
            return reportUsage(command, QStringLiteral("--frames and --size need positive numbers"));
    } else {
        modelName = parser.value(QStringLiteral("preset"));
        std::optional<TimeSformerConfig> config = TimeSformerConfig::preset(modelName);
        if (!config)
            return reportUsage(command, QStringLiteral("unknown preset '%1' (%2)")
                                            .arg(modelName, TimeSformerConfig::presetNames().join(", ")));
        int layers = 0;
        if (!positive("frames", config->numFrames, &frames) || !positive("size", config->imageSize, &size) ||
            !positive("layers", config->depth, &layers))
            return reportUsage(command,
                               QStringLiteral("--frames, --size and --layers need positive numbers"));
        // Random weights at the requested size: the embeddings are built for it, nothing is resized.
        config->numFrames = frames;
        config->imageSize = size;
        config->depth = layers;
        if (attention)
            config->attentionType = *attention;
        model = TimeSformerModel::create(*config, options);
        if (!model.ok())
            return reportError(model.error());
    }
    if (size % model->config().patchSize != 0)
        return reportUsage(
            command,
            QStringLiteral("--size must be a multiple of the patch size %1").arg(model->config().patchSize));
    if (!model->precisionNote().isEmpty())
        QTextStream(stderr) << "saccade-cli bench model: " << model->precisionNote() << '\n';

    int runs = 0;
    int warmup = 0;
    if (!positive("runs", 3, &runs))
        return reportUsage(command, QStringLiteral("--runs needs a positive number"));
    bool warmupOk = false;
    warmup = parser.value(QStringLiteral("warmup")).toInt(&warmupOk);
    if (!warmupOk || warmup < 0)
        return reportUsage(command, QStringLiteral("--warmup needs a number >= 0"));
    Result<ModelBenchmarkResult> result =
        benchmarkModel(model.value(), frames, size, warmup, runs, context.cancel);
    if (!result.ok())
        return reportError(result.error());

    const TimeSformerConfig& config = model->config();
    const QString precision =
        model->precision() == Precision::BFloat16 ? QStringLiteral("bfloat16") : QStringLiteral("float32");
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonObject json;
        json.insert(QStringLiteral("model"), modelName);
        json.insert(QStringLiteral("attention"), attentionTypeName(config.attentionType));
        json.insert(QStringLiteral("frames"), frames);
        json.insert(QStringLiteral("size"), size);
        json.insert(QStringLiteral("layers"), config.depth);
        json.insert(QStringLiteral("dtype"), precision);
        json.insert(QStringLiteral("device"), model->deviceName());
        json.insert(QStringLiteral("threads"), result->threads);
        json.insert(QStringLiteral("runs"), result->runs);
        json.insert(QStringLiteral("ms_per_view"), result->msPerView);
        json.insert(QStringLiteral("ms_per_view_best"), result->msPerViewBest);
        json.insert(QStringLiteral("cpu_ms_per_view"), result->cpuMsPerView);
        json.insert(QStringLiteral("gflop_per_view"), result->flopsPerView * 1e-9);
        json.insert(QStringLiteral("gflops"), result->gflops);
        json.insert(QStringLiteral("peak_gflops"), result->peakGflops);
        json.insert(QStringLiteral("peak_rss_mb"), result->peakRssMb);
        json.insert(QStringLiteral("cpu"), CpuFeatures::detect().summary());
        printJson(QJsonDocument(json));
        return kExitOk;
    }
    printLine(QStringLiteral("%1, %2 attention, %3 x %4 px, %5 layers, %6 on %7, %8 threads")
                  .arg(modelName, attentionTypeName(config.attentionType))
                  .arg(frames)
                  .arg(size)
                  .arg(config.depth)
                  .arg(precision, model->deviceName())
                  .arg(result->threads));
    printLine(QStringLiteral("  %1 ms per view (median of %2, best %3 ms)")
                  .arg(result->msPerView, 0, 'f', 1)
                  .arg(result->runs)
                  .arg(result->msPerViewBest, 0, 'f', 1));
    printLine(
        QStringLiteral("  %1 GFLOP per view, %2 GFLOP/s achieved, matmul peak %3 GFLOP/s (%4%)")
            .arg(result->flopsPerView * 1e-9, 0, 'f', 1)
            .arg(result->gflops, 0, 'f', 1)
            .arg(result->peakGflops, 0, 'f', 1)
            .arg(result->peakGflops > 0 ? 100.0 * result->gflops / result->peakGflops : 0.0, 0, 'f', 0));
    printLine(QStringLiteral("  peak RSS %1 MiB").arg(result->peakRssMb, 0, 'f', 0));
    return kExitOk;
}

} // namespace saccade::cli
