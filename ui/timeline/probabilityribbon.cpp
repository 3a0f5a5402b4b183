#include "ui/timeline/probabilityribbon.h"

#include "ui/plots/qcustomplotheader.h"

#include <QVBoxLayout>

#include <algorithm>
#include <numeric>

namespace saccade {

ProbabilityRibbon::ProbabilityRibbon(QWidget* parent) : QWidget(parent) {
    m_plot = new QCustomPlot(this);
    m_plot->setBackground(palette().base());
    m_plot->axisRect()->setAutoMargins(QCP::msNone);
    m_plot->axisRect()->setMargins(QMargins(0, 0, 0, 0));
    m_plot->xAxis->setVisible(false);
    m_plot->yAxis->setVisible(false);
    m_plot->yAxis->setRange(0.0, 1.0);
    m_plot->setInteractions(QCP::iNone);
    m_plot->setNoAntialiasingOnDrag(true);
    m_plot->setToolTip(tr("Class probabilities of the sliding windows (most likely classes stacked)"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setFixedHeight(sizeHint().height());
}

QSize ProbabilityRibbon::sizeHint() const {
    return {800, 40};
}

void ProbabilityRibbon::setClasses(const QStringList& names, const QVector<QColor>& colors) {
    m_names = names;
    m_colors = colors;
    rebuild();
}

void ProbabilityRibbon::setWindows(const QVector<WindowProbabilities>& windows) {
    m_windows = windows;
    std::sort(m_windows.begin(), m_windows.end(),
              [](const WindowProbabilities& a, const WindowProbabilities& b) {
                  return a.startFrame + a.endFrame < b.startFrame + b.endFrame;
              });
    rebuild();
}

void ProbabilityRibbon::clear() {
    m_windows.clear();
    rebuild();
}

void ProbabilityRibbon::setVisibleRange(double firstFrame, double lastFrame) {
    m_plot->xAxis->setRange(firstFrame, lastFrame);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

QColor ProbabilityRibbon::classColor(int index) const {
    if (index >= 0 && index < m_colors.size() && m_colors[index].isValid())
        return m_colors[index];
    // Spread hues by the golden angle so neighbouring classes differ.
    return QColor::fromHsv(int(index * 137.508) % 360, 170, 220);
}

void ProbabilityRibbon::rebuild() {
    m_plot->clearGraphs();
    m_shownClasses.clear();
    // An empty band would read as "the model sees nothing"; show it only once there are results.
    setVisible(!m_windows.isEmpty());
    if (m_windows.isEmpty()) {
        m_plot->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    // Rank classes by their highest probability anywhere, so a short action still gets a band.
    int classCount = 0;
    for (const WindowProbabilities& window : m_windows)
        classCount = std::max(classCount, int(window.probabilities.size()));
    QVector<float> peak(classCount, 0.0f);
    for (const WindowProbabilities& window : m_windows) {
        for (int index = 0; index < window.probabilities.size(); ++index)
            peak[index] = std::max(peak[index], window.probabilities[index]);
    }
    QVector<int> order(classCount);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return peak[a] > peak[b]; });
    for (int index : order) {
        if (m_shownClasses.size() >= kMaxShownClasses || peak[index] <= 0.02f)
            break;
        m_shownClasses.append(index);
    }

    // Each window is drawn as a flat step over its centre stride so overlapping windows tile the axis.
    QVector<double> keys;
    for (int w = 0; w < m_windows.size(); ++w) {
        const double centre = (m_windows[w].startFrame + m_windows[w].endFrame) / 2.0;
        const double left =
            w == 0 ? double(m_windows[w].startFrame)
                   : (centre + (m_windows[w - 1].startFrame + m_windows[w - 1].endFrame) / 2.0) / 2;
        const double right =
            w + 1 == m_windows.size()
                ? double(m_windows[w].endFrame)
                : (centre + (m_windows[w + 1].startFrame + m_windows[w + 1].endFrame) / 2.0) / 2;
        keys << left << right;
    }
    QVector<double> cumulative(keys.size(), 0.0);
    QCPGraph* below = nullptr;
    auto addBand = [&](const QVector<double>& values, const QColor& color, const QString& name) {
        for (int i = 0; i < values.size(); ++i)
            cumulative[i] += values[i];
        QCPGraph* graph = m_plot->addGraph();
        graph->setName(name);
        graph->setData(keys, cumulative, true);
        graph->setPen(Qt::NoPen);
        QColor fill = color;
        fill.setAlphaF(0.85);
        graph->setBrush(fill);
        if (below)
            graph->setChannelFillGraph(below);
        below = graph;
    };
    QVector<double> values(keys.size());
    for (int classIndex : m_shownClasses) {
        for (int w = 0; w < m_windows.size(); ++w) {
            const QVector<float>& p = m_windows[w].probabilities;
            values[2 * w] = values[2 * w + 1] = classIndex < p.size() ? p[classIndex] : 0.0;
        }
        addBand(values, classColor(classIndex), m_names.value(classIndex, tr("class %1").arg(classIndex)));
    }
    for (int w = 0; w < m_windows.size(); ++w)
        values[2 * w] = values[2 * w + 1] = std::max(0.0, 1.0 - cumulative[2 * w]);
    addBand(values, palette().color(QPalette::Mid), tr("other"));
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace saccade
