#pragma once

#include "core/model/timesformermodel.h"

#include <QDir>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QStringList>

namespace saccade::testing {

/// Runs the ffmpeg CLI; returns its error output on failure, an empty string on success.
inline QString runFfmpeg(const QStringList& arguments) {
    const QString program = QStandardPaths::findExecutable(QStringLiteral("ffmpeg"));
    if (program.isEmpty())
        return QStringLiteral("ffmpeg not found");
    QProcess process;
    process.start(program, QStringList{QStringLiteral("-v"), QStringLiteral("error"), QStringLiteral("-y")} +
                               arguments);
    if (!process.waitForFinished(60000) || process.exitCode() != 0)
        return QString::fromUtf8(process.readAllStandardError()) + QStringLiteral(" (ffmpeg failed)");
    return {};
}

/// A `frames`-frame 30 fps test-pattern video of `width` x `height`, a key frame every 10 frames.
inline QString makeVideo(const QString& path, int frames, int width = 64, int height = 48) {
    return runFfmpeg({QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
                      QStringLiteral("testsrc2=size=%1x%2:rate=30").arg(width).arg(height),
                      QStringLiteral("-frames:v"), QString::number(frames), QStringLiteral("-c:v"),
                      QStringLiteral("mpeg4"), QStringLiteral("-g"), QStringLiteral("10"),
                      QStringLiteral("-pix_fmt"), QStringLiteral("yuv420p"), path});
}

/// A tiny divided-attention TimeSformer (4 frames of 32 px, 2x2 patches, 2 layers, 2 heads, 3 classes)
/// with research initialisation.
inline TimeSformerConfig tinyConfig() {
    TimeSformerConfig config;
    config.imageSize = 32;
    config.patchSize = 16;
    config.numFrames = 4;
    config.hiddenSize = 32;
    config.depth = 2;
    config.numHeads = 2;
    config.numClasses = 3;
    config.labels = QStringList{QStringLiteral("wave"), QStringLiteral("jump"), QStringLiteral("sit")};
    config.preprocessing = QStringLiteral("research-k400");
    return config;
}

/// Writes the tiny model as an HF directory under `directory`; returns an error text or empty.
inline QString writeTinyModel(const QString& directory, const TimeSformerConfig& config = tinyConfig()) {
    Result<TimeSformerModel> model = TimeSformerModel::create(config);
    if (!model.ok())
        return model.error().toString();
    const Status saved = model->saveHfDirectory(directory);
    return saved.ok() ? QString() : saved.error().toString();
}

} // namespace saccade::testing
