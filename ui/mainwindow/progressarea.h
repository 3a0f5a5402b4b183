#pragma once

#include <QElapsedTimer>
#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;

namespace saccade {

/// Status-bar progress for one long task: what runs, a bar, the time left (estimated from the rate
/// so far) and a cancel button. Hidden when idle.
class ProgressArea : public QWidget {
    Q_OBJECT
public:
    explicit ProgressArea(QWidget* parent = nullptr);

    /// Starts showing a task called `title`.
    void start(const QString& title);
    /// `fraction` in [0, 1].
    void setProgress(double fraction);
    /// Hides the area.
    void finish();
    bool isActive() const { return m_active; }
    QString timeLeftText() const;

    /// "about 2 min left" from the elapsed time and fraction done; empty while there is too little
    /// to go on. Public for tests.
    static QString estimateText(qint64 elapsedMs, double fraction);

Q_SIGNALS:
    void cancelRequested();

private:
    bool m_active = false;
    double m_fraction = 0.0;
    QElapsedTimer m_clock;
    QLabel* m_title = nullptr;
    QProgressBar* m_bar = nullptr;
    QLabel* m_timeLeft = nullptr;
    QToolButton* m_cancel = nullptr;
};

} // namespace saccade
