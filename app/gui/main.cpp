#include "paintbenchmark.h"

#include "ui/mainwindow/mainwindow.h"
#include "ui/settings/appsettings.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>

int main(int argc, char* argv[]) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("saccade"));
    QApplication::setOrganizationName(QStringLiteral("saccade"));
    QApplication::setApplicationDisplayName(QStringLiteral("Saccade"));
    QApplication::setApplicationVersion(QStringLiteral(SACCADE_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("saccade"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Look inside a video transformer while labeling video."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("video"), QStringLiteral("Videos to open."),
                                 QStringLiteral("[VIDEO...]"));
    QCommandLineOption benchmarkOption(QStringLiteral("benchmark-paint"),
                                       QStringLiteral("Measure the video view's paint time and exit."));
    parser.addOption(benchmarkOption);
    QCommandLineOption labelsOption(QStringLiteral("labels"),
                                    QStringLiteral("Label file: one label name per line."),
                                    QStringLiteral("FILE"));
    parser.addOption(labelsOption);
    parser.process(app);

    if (parser.isSet(benchmarkOption))
        return saccade::PaintBenchmark().run(QSize(1920, 1080), QSize(1920, 1080), 200);

    saccade::AppSettings settings;
    saccade::MainWindow window(settings);
    window.show();
    if (parser.isSet(labelsOption))
        window.loadLabels(parser.value(labelsOption));
    const QStringList videos = parser.positionalArguments();
    if (!videos.isEmpty())
        window.openVideo(videos.first());
    return app.exec();
}
