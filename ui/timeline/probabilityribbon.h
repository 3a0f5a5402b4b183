#pragma once

#include <QColor>
#include <QStringList>
#include <QVector>
#include <QWidget>

class QCustomPlot;

namespace saccade {

/// Class probabilities of one analysis window over frames [startFrame, endFrame).
struct WindowProbabilities {
    qint64 startFrame = 0;
    qint64 endFrame = 0;
    QVector<float> probabilities;
};

/// A QCustomPlot band under the timeline: the probabilities of the most likely classes of each
/// sliding window, stacked, so runs of one colour show where the model sees one action. Shares the
/// timeline's horizontal mapping through setVisibleRange().
class ProbabilityRibbon : public QWidget {
    Q_OBJECT
public:
    /// Classes shown individually; the rest are summed into a grey "other" band.
    static constexpr int kMaxShownClasses = 6;

    explicit ProbabilityRibbon(QWidget* parent = nullptr);

    /// Names and colours of the model's classes, by class index.
    void setClasses(const QStringList& names, const QVector<QColor>& colors);
    void setWindows(const QVector<WindowProbabilities>& windows);
    void clear();
    /// Frames [first, last] across the full width, as in TimelineView.
    void setVisibleRange(double firstFrame, double lastFrame);

    /// The classes given their own band (most probable first); for tests and the legend.
    const QVector<int>& shownClasses() const { return m_shownClasses; }

    QSize sizeHint() const override;

private:
    void rebuild();
    QColor classColor(int index) const;

    QCustomPlot* m_plot = nullptr;
    QStringList m_names;
    QVector<QColor> m_colors;
    QVector<WindowProbabilities> m_windows;
    QVector<int> m_shownClasses;
};

} // namespace saccade
