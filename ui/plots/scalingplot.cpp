#include "ui/plots/scalingplot.h"

#include "ui/plots/qcustomplotheader.h"

#include <QApplication>

#include <algorithm>

namespace saccade {

namespace {

struct Panel {
    const char* title;
    bool byFrames;
    bool memory;
};

constexpr Panel kPanels[] = {
    {"Time vs frames (224 px)", true, false},
    {"Memory vs frames (224 px)", true, true},
    {"Time vs size (8 frames)", false, false},
    {"Memory vs size (8 frames)", false, true},
};

} // namespace

Status saveScalingPlot(const QString& path, const std::vector<ScalingPoint>& points) {
    if (!qobject_cast<QApplication*>(QCoreApplication::instance()))
        return Error::unsupported(path,
                                  QStringLiteral("rendering the plot needs a QApplication (this program "
                                                 "runs a QCoreApplication); the table files are written"));
    QCustomPlot plot;
    plot.plotLayout()->clear();
    const QList<QColor> colours = {QColor(31, 119, 180), QColor(214, 39, 40)};
    QStringList attentions;
    for (const ScalingPoint& point : points) {
        if (!attentions.contains(point.attention))
            attentions << point.attention;
    }
    for (int p = 0; p < 4; ++p) {
        const Panel& panel = kPanels[p];
        auto* rect = new QCPAxisRect(&plot);
        plot.plotLayout()->addElement(p / 2 * 2 + 1, p % 2, rect);
        auto* title =
            new QCPTextElement(&plot, QString::fromLatin1(panel.title), QFont(QStringLiteral("sans"), 10));
        plot.plotLayout()->addElement(p / 2 * 2, p % 2, title);
        rect->axis(QCPAxis::atBottom)
            ->setLabel(panel.byFrames ? QStringLiteral("frames") : QStringLiteral("pixels"));
        rect->axis(QCPAxis::atLeft)
            ->setLabel(panel.memory ? QStringLiteral("peak memory (GiB)")
                                    : QStringLiteral("seconds per view"));
        double top = 0;
        for (const ScalingPoint& point : points)
            top = std::max(top, panel.memory ? point.memoryMb / 1024.0 : point.msPerView / 1000.0);
        top = top > 0 ? top * 1.15 : 1.0;
        for (int a = 0; a < attentions.size(); ++a) {
            QCPGraph* graph = plot.addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
            QCPGraph* oom = plot.addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
            graph->setName(attentions[a]);
            graph->setPen(QPen(colours[a % colours.size()], 2));
            graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 6));
            oom->setLineStyle(QCPGraph::lsNone);
            oom->setPen(QPen(colours[a % colours.size()], 2));
            oom->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCross, 10));
            oom->removeFromLegend();
            for (const ScalingPoint& point : points) {
                if (point.attention != attentions[a] ||
                    (panel.byFrames ? point.size != 224 : point.frames != 8))
                    continue;
                const double x = panel.byFrames ? point.frames : point.size;
                if (point.outOfMemory)
                    oom->addData(x, top / 1.15);
                else
                    graph->addData(x, panel.memory ? point.memoryMb / 1024.0 : point.msPerView / 1000.0);
            }
        }
        rect->axis(QCPAxis::atBottom)->setRange(panel.byFrames ? QCPRange(0, 100) : QCPRange(200, 470));
        rect->axis(QCPAxis::atLeft)->setRange(0, top);
    }
    auto* legend = new QCPLegend;
    plot.plotLayout()->addElement(4, 0, legend);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    for (int i = 0; i < plot.graphCount(); ++i) {
        if (!plot.graph(i)->name().isEmpty())
            legend->addItem(new QCPPlottableLegendItem(legend, plot.graph(i)));
    }
    auto* note = new QCPTextElement(&plot, QStringLiteral("x = out of memory (> 20 GiB), not run"),
                                    QFont(QStringLiteral("sans"), 8));
    plot.plotLayout()->addElement(4, 1, note);
    plot.plotLayout()->setRowStretchFactor(4, 0.1);
    if (!plot.savePng(path, 1000, 760))
        return Error::io(path, QStringLiteral("cannot write the PNG"));
    return {};
}

} // namespace saccade
