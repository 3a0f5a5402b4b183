#pragma once

#include "playbacktally.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <optional>

class QTextStream;

namespace saccade {

class MainWindow;
class VideoView;

/// Plays a video at 1x in the main window, first with no model loaded (the baseline), then, going on
/// from where that stopped, while the bundled demo model analyses it, and prints for each run the frames due
/// by the clock, those painted, dropped and late, and how late frames reached the screen. Without a video it
/// plays a five-minute 1080p demo video, made once into the cache folder. Returns the process exit code.
class PlaybackBenchmark : public QObject {
public:
    int run(const QString& videoPath, double seconds);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    struct Run {
        PlaybackFigures figures;
        qint64 firstFrame = 0;
        qint64 lastFrame = 0;
        double lengthSeconds = 0.0;
        bool analysingAtStart = false;
        bool analysingAtEnd = false;
        int windowsAnalysed = 0;
        /// Seconds into the run at which the analysis finished; negative when it did not.
        double analysisFinishedAfter = -1.0;
    };

    std::optional<Run> play(MainWindow& window, double seconds, double framesPerSecond, QTextStream& err);
    void printReport(const Run& baseline, const Run& analysed, double seconds, double framesPerSecond,
                     QTextStream& out) const;

    QElapsedTimer m_clock;
    VideoView* m_view = nullptr;
    /// The frame whose image the view holds, and the last frame painted.
    qint64 m_viewFrame = -1;
    qint64 m_viewImageKey = 0;
    qint64 m_lastPainted = -1;
    int m_windowsAnalysed = 0;
    qint64 m_analysisFinishedNs = -1;
    std::optional<PlaybackTally> m_tally;
};

} // namespace saccade
