#pragma once

#include "ui/transport/timecode.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QSlider;
class QSpinBox;
class QToolButton;

namespace saccade {

class TimecodeEdit;

/// Play/pause, frame step, start/end, a frame-exact scrubber, a frame number field, a timecode field
/// and a speed box. Dumb: shows what it is told and emits what the user asks for.
class TransportBar : public QWidget {
    Q_OBJECT
public:
    explicit TransportBar(QWidget* parent = nullptr);

    void setFrameRate(FrameRate rate);
    /// Frames are 0 .. frameCount - 1; 0 disables the controls.
    void setFrameCount(qint64 frameCount);
    qint64 frameCount() const { return m_frameCount; }
    void setCurrentFrame(qint64 frame);
    qint64 currentFrame() const { return m_frame; }
    void setPlaying(bool playing);
    bool isPlaying() const { return m_playing; }
    /// Signed rate; negative plays backwards (shuttle). The box shows its magnitude.
    void setSpeed(double rate);

    /// The speeds the speed box offers, slowest first.
    static const QVector<double>& speedSteps();

    TimecodeEdit* timecodeEdit() const { return m_timecode; }
    QSpinBox* frameField() const { return m_frameField; }
    QSlider* scrubber() const { return m_scrubber; }

Q_SIGNALS:
    void playPauseRequested();
    void stepRequested(int frames);
    /// Always a valid frame index (clamped to the video).
    void seekRequested(qint64 frame);
    void speedRequested(double speed);

private:
    void requestSeek(qint64 frame);
    void updateDurationLabel();

    FrameRate m_rate;
    qint64 m_frameCount = 0;
    qint64 m_frame = 0;
    bool m_playing = false;
    bool m_updating = false;

    QToolButton* m_startButton = nullptr;
    QToolButton* m_previousButton = nullptr;
    QToolButton* m_playButton = nullptr;
    QToolButton* m_nextButton = nullptr;
    QToolButton* m_endButton = nullptr;
    QSlider* m_scrubber = nullptr;
    QSpinBox* m_frameField = nullptr;
    TimecodeEdit* m_timecode = nullptr;
    QLabel* m_durationLabel = nullptr;
    QComboBox* m_speedBox = nullptr;
};

} // namespace saccade
