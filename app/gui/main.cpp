#include "paintbenchmark.h"
#include "playbackbenchmark.h"

#include "core/util/lastresort.h"
#include "ui/analysis/analysiscontroller.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/settings/appsettings.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QIcon>
#include <QTextStream>
#include <QTimer>

#include <cstdio>

namespace {

constexpr int kSmokeTestLimitMs = 300000;

} // namespace

int main(int argc, char* argv[]) {
    saccade::installLastResortHandler("saccade");
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
    parser.addPositionalArgument(
        QStringLiteral("video"),
        QStringLiteral("Videos to open one after another, or a project file (*.saccade)."),
        QStringLiteral("[VIDEO...]"));
    QCommandLineOption benchmarkOption(QStringLiteral("benchmark-paint"),
                                       QStringLiteral("Measure the video view's paint time and exit."));
    parser.addOption(benchmarkOption);
    QCommandLineOption playbackBenchmarkOption(
        QStringLiteral("benchmark-playback"),
        QStringLiteral(
            "Play VIDEO (default: a five-minute 1080p demo video, made once) at 1x in the main window, "
            "without and then with the demo model analysing it; print the frames due, shown, "
            "dropped and late, and exit."));
    parser.addOption(playbackBenchmarkOption);
    QCommandLineOption secondsOption(QStringLiteral("seconds"),
                                     QStringLiteral("Length of each --benchmark-playback run (default 20)."),
                                     QStringLiteral("N"), QStringLiteral("20"));
    parser.addOption(secondsOption);
    QCommandLineOption labelsOption(QStringLiteral("labels"),
                                    QStringLiteral("Label file: one label name per line."),
                                    QStringLiteral("FILE"));
    parser.addOption(labelsOption);
    QCommandLineOption modelOption(
        QStringLiteral("model"),
        QStringLiteral("Model that analyses the video: a TimeSformer checkpoint, a Hugging Face folder, or "
                       "\"demo\" (the default)."),
        QStringLiteral("MODEL"), QStringLiteral("demo"));
    parser.addOption(modelOption);
    QCommandLineOption smokeOption(
        QStringLiteral("smoke-test"),
        QStringLiteral("Print the first analysed window to stdout and exit (status "
                       "1 when the model or the video fails)."));
    parser.addOption(smokeOption);
    QCommandLineOption projectOption(
        QStringLiteral("project"), QStringLiteral("Project file (*.saccade) to open; created when missing."),
        QStringLiteral("FILE"));
    parser.addOption(projectOption);
    parser.process(app);

    if (parser.isSet(benchmarkOption))
        return saccade::PaintBenchmark().run(QSize(1920, 1080), QSize(1920, 1080), 200);
    if (parser.isSet(playbackBenchmarkOption)) {
        bool ok = false;
        const double seconds = parser.value(secondsOption).toDouble(&ok);
        if (!ok || !(seconds > 0)) {
            QTextStream(stderr) << "--seconds takes a positive number\n";
            return 2;
        }
        return saccade::PlaybackBenchmark().run(parser.positionalArguments().value(0), seconds);
    }

    saccade::AppSettings settings;
    saccade::MainWindow window(settings);
    window.show();
    if (parser.isSet(labelsOption))
        window.loadLabels(parser.value(labelsOption));
    // The desktop launcher passes every file it opens as an argument: a project among them opens as the
    // project (as with --project), the videos open one after another.
    QStringList videos = parser.positionalArguments();
    QString project = parser.value(projectOption);
    for (const QString& argument : parser.positionalArguments()) {
        if (argument.endsWith(QLatin1String(".saccade"), Qt::CaseInsensitive)) {
            videos.removeOne(argument);
            if (project.isEmpty())
                project = argument;
        }
    }
    if (parser.isSet(smokeOption)) {
        QObject::connect(window.analysis(), &saccade::AnalysisController::windowAnalysed, &app,
                         [](int index, qint64 start, qint64 end, const QString& label, double probability) {
                             QTextStream(stdout) << QStringLiteral("analysed window %1 frames %2-%3: %4 %5\n")
                                                        .arg(index)
                                                        .arg(start)
                                                        .arg(end)
                                                        .arg(label)
                                                        .arg(probability, 0, 'f', 3);
                             QApplication::exit(0);
                         });
        // A video that never opens or a model that never answers must not leave the run hanging.
        QTimer::singleShot(kSmokeTestLimitMs, &app, [] {
            QTextStream(stderr) << "no window was analysed in time\n";
            QApplication::exit(2);
        });
        QObject::connect(window.analysis(), &saccade::AnalysisController::errorOccurred, &app,
                         [](const QString& text) {
                             QTextStream(stderr) << text << '\n';
                             QApplication::exit(1);
                         });
    }
    if (!project.isEmpty()) {
        if (QFileInfo::exists(project))
            window.openProject(project);
        else
            window.saveProjectAs(project);
    }
    window.loadModel(parser.value(modelOption));
    if (!videos.isEmpty())
        window.openVideos(videos);
    else if (project.isEmpty())
        window.openDemo();
    return app.exec();
}
