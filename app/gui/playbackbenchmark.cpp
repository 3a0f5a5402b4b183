#include "playbackbenchmark.h"

#include "core/media/videodecoder.h"
#include "core/util/datapaths.h"
#include "ui/analysis/analysiscontroller.h"
#include "ui/keys/commandactions.h"
#include "ui/mainwindow/demovideotask.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/settings/appsettings.h"
#include "ui/video/videoview.h"

#include <QAction>
#include <QDir>
#include <QEvent>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <cmath>
#include <functional>
#include <memory>

namespace saccade {

namespace {

constexpr int kOpenTimeoutMs = 60000;
constexpr int kAnalysisTimeoutMs = 300000;
// Lets the window finish what opening or pausing started (thumbnails, the frame index) before a run.
constexpr int kSettleMs = 2000;
// After opening, the window makes thumbnails and scans the frame index in the background.
constexpr int kOpenSettleMs = 10000;
// Frames due before the end of a run may still reach the screen after it.
constexpr int kGraceMs = 1000;

// Runs the event loop for `ms` milliseconds.
void waitFor(int ms) {
    QEventLoop loop;
    QTimer::singleShot(ms, Qt::PreciseTimer, &loop, &QEventLoop::quit);
    loop.exec();
}

// Runs the event loop until `done` holds or `timeoutMs` passes; true when it holds.
bool waitUntil(const std::function<bool()>& done, int timeoutMs) {
    QElapsedTimer clock;
    clock.start();
    while (!done()) {
        if (clock.elapsed() > timeoutMs)
            return false;
        waitFor(20);
    }
    return true;
}

// The demo video at 1080p in the cache folder, made once by the same task that makes the app's demo.
QString ensureDemoVideo(QTextStream& out, QTextStream& err) {
    const QString path =
        QDir(cacheDirectory(QStringLiteral("demo"))).filePath(QStringLiteral("demo-1080p-5min.mp4"));
    if (QFileInfo::exists(path))
        return path;
    DemoVideoOptions options;
    options.width = 1920;
    options.height = 1080;
    // The demo model analyses the two-minute demo in well under a minute; five minutes keep it busy
    // through both runs.
    options.durationSeconds = 300;
    out << "Creating a five-minute 1080p demo video " << QDir::toNativeSeparators(path) << " (once)\n";
    out.flush();
    DemoVideoTask task;
    QEventLoop loop;
    bool made = false;
    int shownPercent = 0;
    QObject::connect(&task, &DemoVideoTask::progressChanged, &loop, [&](double fraction) {
        const int percent = int(fraction * 100);
        if (percent >= shownPercent + 10) {
            shownPercent = percent - percent % 10;
            out << "  " << shownPercent << "%\n";
            out.flush();
        }
    });
    QObject::connect(&task, &DemoVideoTask::finished, &loop, [&] {
        made = true;
        loop.quit();
    });
    QObject::connect(&task, &DemoVideoTask::failed, &loop, [&](const Error& error) {
        err << "Could not create the demo video: " << error.toString() << '\n';
        loop.quit();
    });
    if (!task.start(path, options))
        return {};
    loop.exec();
    return made ? path : QString();
}

QString cell(qint64 value) {
    return QString::number(value);
}

QString milliseconds(double value) {
    return QString::number(value, 'f', 1);
}

QString loadAverage() {
    QFile file(QStringLiteral("/proc/loadavg"));
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("unknown");
    return QString::fromLatin1(file.readLine()).section(QLatin1Char(' '), 0, 2);
}

} // namespace

int PlaybackBenchmark::run(const QString& videoPath, double seconds) {
    QTextStream out(stdout);
    QTextStream err(stderr);
    const QString path = videoPath.isEmpty() ? ensureDemoVideo(out, err) : videoPath;
    if (path.isEmpty())
        return 1;
    auto decoder = VideoDecoder::open(path);
    if (!decoder) {
        err << "Could not open " << path << ": " << decoder.error().toString() << '\n';
        return 1;
    }
    const VideoInfo info = (*decoder)->info();
    const auto frameCount = (*decoder)->frameCount();
    decoder->reset();
    if (!frameCount || info.fps <= 0) {
        err << "Could not read the frame rate and length of " << path << '\n';
        return 1;
    }
    // The second run plays on from where the first stopped, so both must fit in the video.
    const double playable = (double(*frameCount - 1) / info.fps - 2 * double(kGraceMs) / 1000.0) / 2;
    if (seconds > playable) {
        out << "The video holds " << QString::number(playable, 'f', 1)
            << " s of playback; each run is cut to that.\n";
        seconds = playable;
    }
    if (seconds <= 0) {
        err << "The video is too short to play\n";
        return 1;
    }

    // Analysis results cached by an earlier run would stand in for the analysis measured here, and the
    // user's settings (window layout, speed) would change what is played: the run gets a scratch cache
    // folder and scratch settings, which also leaves the user's own untouched.
    QTemporaryDir scratch;
    if (!scratch.isValid()) {
        err << "Could not create a scratch folder\n";
        return 1;
    }
    qputenv("XDG_CACHE_HOME", QFile::encodeName(scratch.filePath(QStringLiteral("cache"))));
    AppSettings settings(
        std::make_unique<QSettings>(scratch.filePath(QStringLiteral("settings.ini")), QSettings::IniFormat));
    MainWindow window(settings);
    window.show();
    m_clock.start();
    m_view = window.videoView();
    m_view->installEventFilter(this);
    connect(&window, &MainWindow::frameShown, this, [this](qint64 frame) {
        // The view now holds this frame's image; its paints show this frame until the next one arrives.
        m_viewFrame = frame;
        m_viewImageKey = m_view->image().cacheKey();
        if (m_tally)
            m_tally->delivered(frame);
    });
    QString analysisError;
    connect(window.analysis(), &AnalysisController::errorOccurred, this,
            [&analysisError](const QString& text) { analysisError = text; });
    connect(window.analysis(), &AnalysisController::windowAnalysed, this, [this] { ++m_windowsAnalysed; });
    connect(window.analysis(), &AnalysisController::analysisFinished, this,
            [this] { m_analysisFinishedNs = m_clock.nsecsElapsed(); });

    window.openVideos({path});
    if (!waitUntil([&] { return m_lastPainted == 0; }, kOpenTimeoutMs)) {
        err << "The window did not show the first frame of " << path << " within " << kOpenTimeoutMs / 1000
            << " s\n";
        return 1;
    }
    waitFor(kOpenSettleMs);
    out << "Video " << QFileInfo(path).fileName() << ": " << info.width << "x" << info.height << ", "
        << QString::number(info.fps, 'f', 3) << " fps, " << *frameCount << " frames, " << info.codec << '\n';
    out.flush();

    const std::optional<Run> baseline = play(window, seconds, info.fps, err);
    if (!baseline)
        return 1;

    // The app's default model; the open video is analysed as soon as it has loaded.
    window.loadModel(QStringLiteral("demo"));
    if (!waitUntil([&] { return m_windowsAnalysed > 0 || !analysisError.isEmpty(); }, kAnalysisTimeoutMs) ||
        !analysisError.isEmpty()) {
        err << "The analysis did not start: "
            << (analysisError.isEmpty() ? QStringLiteral("no window analysed in time") : analysisError)
            << '\n';
        return 1;
    }
    const std::optional<Run> analysed = play(window, seconds, info.fps, err);
    if (!analysed)
        return 1;
    if (!analysisError.isEmpty()) {
        err << analysisError << '\n';
        return 1;
    }
    printReport(*baseline, *analysed, seconds, info.fps, out);
    m_view->removeEventFilter(this);
    return 0;
}

std::optional<PlaybackBenchmark::Run> PlaybackBenchmark::play(MainWindow& window, double seconds,
                                                              double framesPerSecond, QTextStream& err) {
    // From the frame on screen, without seeking: the baseline starts at the first frame, the run with
    // analysis goes on from where the baseline stopped.
    Run run;
    const qint64 droppedBefore = window.droppedFrames();
    const int windowsBefore = m_windowsAnalysed;
    run.analysingAtStart = window.analysis()->isAnalysing();
    m_analysisFinishedNs = -1;
    const qint64 startNs = m_clock.nsecsElapsed();
    const qint64 firstFrame = window.currentFrame();
    m_tally.emplace(firstFrame, startNs, framesPerSecond, window.playbackRate());
    window.actions()->action(Command::PlayPause)->trigger();
    waitFor(int(std::lround(seconds * 1000)));
    const qint64 endNs = m_clock.nsecsElapsed();
    const qint64 dropped = window.droppedFrames() - droppedBefore;
    run.analysingAtEnd = window.analysis()->isAnalysing();
    run.windowsAnalysed = m_windowsAnalysed - windowsBefore;
    if (m_analysisFinishedNs >= 0 && m_analysisFinishedNs <= endNs)
        run.analysisFinishedAfter = double(m_analysisFinishedNs - startNs) / 1e9;
    waitFor(kGraceMs);
    window.actions()->action(Command::PlayPause)->trigger();
    waitFor(kSettleMs);
    run.lengthSeconds = double(endNs - startNs) / 1e9;
    run.firstFrame = firstFrame;
    run.lastFrame = m_lastPainted;
    run.figures = m_tally->figures(endNs, dropped);
    m_tally.reset();
    if (run.figures.delivered == 0) {
        err << "Playback did not start\n";
        return std::nullopt;
    }
    return run;
}

bool PlaybackBenchmark::eventFilter(QObject* watched, QEvent* event) {
    if (watched != m_view || event->type() != QEvent::Paint)
        return QObject::eventFilter(watched, event);
    // Paint first, so a frame counts as shown once it is drawn, not when drawing begins.
    watched->event(event);
    const qint64 nowNs = m_clock.nsecsElapsed();
    if (m_viewFrame >= 0 && m_view->image().cacheKey() == m_viewImageKey) {
        m_lastPainted = m_viewFrame;
        if (m_tally)
            m_tally->painted(m_viewFrame, nowNs);
    }
    return true;
}

void PlaybackBenchmark::printReport(const Run& baseline, const Run& analysed, double seconds,
                                    double framesPerSecond, QTextStream& out) const {
    const QSize view = m_view->size();
    const QSize decoded = m_view->idealImageSize();
    out << "Playback at 1x, " << QString::number(seconds, 'f', 1) << " s asked per run, view " << view.width()
        << "x" << view.height() << " (frames decoded at " << decoded.width() << "x" << decoded.height()
        << "), load average " << loadAverage() << '\n';
    const QString interval = milliseconds(1000.0 / framesPerSecond);
    const auto row = [&out](const QString& name, const QString& without, const QString& with) {
        out << "  " << name.leftJustified(44) << without.rightJustified(22) << with.rightJustified(22)
            << '\n';
    };
    const PlaybackFigures& a = baseline.figures;
    const PlaybackFigures& b = analysed.figures;
    row(QString(), QStringLiteral("without analysis"), QStringLiteral("with analysis"));
    const auto range = [](const Run& run) {
        return QStringLiteral("%1-%2").arg(run.firstFrame).arg(run.lastFrame);
    };
    row(QStringLiteral("frames played"), range(baseline), range(analysed));
    // Longer than asked when the window's thread was too busy to notice the end in time.
    row(QStringLiteral("run length (s)"), QString::number(baseline.lengthSeconds, 'f', 1),
        QString::number(analysed.lengthSeconds, 'f', 1));
    row(QStringLiteral("frames due by the clock"), cell(a.due), cell(b.due));
    row(QStringLiteral("frames shown (painted)"), cell(a.shown), cell(b.shown));
    row(QStringLiteral("frames dropped by the worker"), cell(a.droppedByWorker), cell(b.droppedByWorker));
    row(QStringLiteral("frames missing (not dropped, never painted)"), cell(a.missing), cell(b.missing));
    row(QStringLiteral("  of which reached the window"), cell(a.delivered - a.shown),
        cell(b.delivered - b.shown));
    row(QStringLiteral("frames shown late (> %1 ms)").arg(interval), cell(a.late), cell(b.late));
    const auto share = [](const PlaybackFigures& figures) {
        return QString::number(figures.dropShare() * 100.0, 'f', 2) + QStringLiteral(" %");
    };
    row(QStringLiteral("drop share (dropped + missing)"), share(a), share(b));
    const auto lateness = [](const PlaybackFigures& figures) {
        return QStringLiteral("%1 / %2 / %3")
            .arg(milliseconds(figures.latenessP50Ms), milliseconds(figures.latenessP95Ms),
                 milliseconds(figures.latenessP99Ms));
    };
    row(QStringLiteral("lateness p50 / p95 / p99 (ms)"), lateness(a), lateness(b));
    row(QStringLiteral("longest time without a new frame (ms)"), milliseconds(a.longestGapMs),
        milliseconds(b.longestGapMs));
    row(QStringLiteral("windows analysed during the run"), cell(baseline.windowsAnalysed),
        cell(analysed.windowsAnalysed));
    QString throughout;
    if (analysed.analysingAtStart && analysed.analysingAtEnd && analysed.windowsAnalysed > 0)
        throughout = QStringLiteral("yes");
    else if (analysed.analysisFinishedAfter >= 0)
        throughout = QStringLiteral("no, done after %1 s").arg(analysed.analysisFinishedAfter, 0, 'f', 1);
    else
        throughout = QStringLiteral("no");
    row(QStringLiteral("analysis running throughout"), QStringLiteral("no model"), throughout);
    out << "Requirement (at most 1% of frames dropped while the worker analyses): "
        << (b.dropShare() <= 0.01 ? "met" : "not met") << '\n';
}

} // namespace saccade
