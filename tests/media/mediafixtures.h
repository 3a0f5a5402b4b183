#pragma once

// Test fixtures for the media tests: small videos made with the ffmpeg program whose frame k shows
// k as a bar code (bit b of k is a white 16-pixel column at x = 16b), and a reader for that code.

#include <QDir>
#include <QImage>
#include <QProcess>
#include <QStandardPaths>
#include <QStringList>

namespace saccade::test {

constexpr int kFixtureWidth = 128;
constexpr int kFixtureHeight = 96;
constexpr int kFixtureFrames = 90;

inline QString ffmpegProgram() {
    return QStandardPaths::findExecutable(QStringLiteral("ffmpeg"));
}

/// Runs ffmpeg quietly; returns its stderr on failure, an empty string on success.
inline QString runFfmpeg(const QStringList& arguments) {
    QProcess process;
    process.start(ffmpegProgram(), QStringList{QStringLiteral("-v"), QStringLiteral("error"),
                                               QStringLiteral("-y"), QStringLiteral("-nostdin")} +
                                       arguments);
    if (!process.waitForFinished(120000))
        return QStringLiteral("ffmpeg did not finish");
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return QStringLiteral("ffmpeg failed: ") + QString::fromUtf8(process.readAllStandardError());
    return {};
}

/// The lavfi source of the bar-code video: `frames` frames of size x size at `rate` fps.
inline QString barCodeSource(int frames = kFixtureFrames, int rate = 30,
                             QSize size = {kFixtureWidth, kFixtureHeight}) {
    return QStringLiteral(
               "color=black:s=%1x%2:r=%3,trim=end_frame=%4,format=yuv444p,"
               "geq=lum='if(gt(mod(floor(N/pow(2\\,floor(X/16)))\\,2)\\,0)\\,235\\,16)':cb=128:cr=128")
        .arg(size.width())
        .arg(size.height())
        .arg(rate)
        .arg(frames);
}

/// Encodes the bar-code video into `dir/name` with `encoderArguments` (codec, pixel format...).
inline QString makeBarCodeVideo(const QDir& dir, const QString& name, const QStringList& encoderArguments,
                                const QString& extraFilter = {}, int frames = kFixtureFrames) {
    QString filter = barCodeSource(frames);
    if (!extraFilter.isEmpty())
        filter += QLatin1Char(',') + extraFilter;
    const QString path = dir.filePath(name);
    const QString failure =
        runFfmpeg(QStringList{QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"), filter} +
                  encoderArguments + QStringList{path});
    return failure.isEmpty() ? path : QString();
}

/// Reads the frame number from an upright image of a bar-code frame shown with a clockwise turn of
/// `rotationDegrees`: maps each bar's centre in the coded picture to the upright image.
inline int readBarCode(const QImage& image, int rotationDegrees = 0,
                       QSize coded = {kFixtureWidth, kFixtureHeight}) {
    int value = 0;
    for (int bit = 0; bit < coded.width() / 16; ++bit) {
        const int x = bit * 16 + 8;
        const int y = coded.height() / 2;
        QPoint upright(x, y);
        if (rotationDegrees == 90)
            upright = QPoint(coded.height() - 1 - y, x);
        else if (rotationDegrees == 180)
            upright = QPoint(coded.width() - 1 - x, coded.height() - 1 - y);
        else if (rotationDegrees == 270)
            upright = QPoint(y, coded.width() - 1 - x);
        if (qGray(image.pixel(upright)) > 128)
            value |= 1 << bit;
    }
    return value;
}

} // namespace saccade::test
