#include "ui/review/faithfulnesspanel.h"

#include "ui/plots/qcustomplotheader.h"

#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace saccade {

namespace {

// Bar order from the top: unmasked, most attended masked, random masked.
constexpr double kBaseKey = 3.0;
constexpr double kAttendedKey = 2.0;
constexpr double kRandomKey = 1.0;

const QColor kBaseColor(120, 130, 145);
const QColor kAttendedColor(222, 93, 52);
const QColor kRandomColor(66, 133, 204);

QString signedValue(double value) {
    return (value < 0 ? QStringLiteral("+") : QStringLiteral("\u2212")) +
           QString::number(std::abs(value), 'f', 2);
}

} // namespace

FaithfulnessPanel::FaithfulnessPanel(QWidget* parent) : QWidget(parent) {
    qRegisterMetaType<saccade::FaithfulnessSettings>();
    m_map = new QComboBox(this);
    m_map->addItem(tr("Map shown in the view"), int(FaithfulnessMap::Shown));
    m_map->addItem(tr("Attention rollout"), int(FaithfulnessMap::Rollout));
    m_map->setToolTip(tr("The map whose highest patches are masked: the layer and head on screen, or the "
                         "rollout through all layers"));
    m_share = new QSpinBox(this);
    m_share->setRange(1, 90);
    m_share->setValue(10);
    m_share->setSuffix(QStringLiteral(" %"));
    m_share->setToolTip(tr("Share of the window's patches (all sampled frames) set to the mean colour"));
    m_draws = new QSpinBox(this);
    m_draws->setRange(1, 20);
    m_draws->setValue(5);
    m_draws->setToolTip(tr("Random masks of the same size whose score drops are averaged"));

    m_target = new QLabel(this);
    m_target->setWordWrap(true);
    m_target->setForegroundRole(QPalette::PlaceholderText);
    m_run = new QPushButton(tr("Check This Window"), this);
    m_run->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->hide();
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(true);
    m_progress->hide();

    m_plot = new QCustomPlot(this);
    m_plot->setMinimumHeight(150);
    m_plot->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    m_plot->setInteractions({});
    m_plot->hide();
    m_result = new QLabel(this);
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_result->hide();

    auto* form = new QFormLayout;
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Rank patches by"), m_map);
    form->addRow(tr("Mask"), m_share);
    form->addRow(tr("Random masks"), m_draws);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_run, 1);
    buttons->addWidget(m_cancel);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_target);
    layout->addLayout(buttons);
    layout->addWidget(m_progress);
    layout->addWidget(m_plot, 1);
    layout->addWidget(m_result);
    layout->addStretch(0);

    connect(m_run, &QPushButton::clicked, this, [this] { Q_EMIT runRequested(settings()); });
    connect(m_cancel, &QPushButton::clicked, this, &FaithfulnessPanel::cancelRequested);
    setTarget(tr("Analyse a window of a video to check its attention."), false);
    styleFromPalette();
}

FaithfulnessSettings FaithfulnessPanel::settings() const {
    FaithfulnessSettings settings;
    settings.map = static_cast<FaithfulnessMap>(m_map->currentData().toInt());
    settings.options.maskFraction = m_share->value() / 100.0;
    settings.options.randomDraws = m_draws->value();
    return settings;
}

void FaithfulnessPanel::setSettings(const FaithfulnessSettings& settings) {
    m_map->setCurrentIndex(m_map->findData(int(settings.map)));
    m_share->setValue(static_cast<int>(std::lround(settings.options.maskFraction * 100.0)));
    m_draws->setValue(settings.options.randomDraws);
}

void FaithfulnessPanel::setTarget(const QString& text, bool runnable) {
    m_target->setText(text);
    m_runnable = runnable;
    m_run->setEnabled(runnable && !m_running);
}

void FaithfulnessPanel::setRunning(bool running) {
    m_running = running;
    m_run->setEnabled(m_runnable && !running);
    m_cancel->setVisible(running);
    m_progress->setVisible(running);
    for (QWidget* control :
         {static_cast<QWidget*>(m_map), static_cast<QWidget*>(m_share), static_cast<QWidget*>(m_draws)})
        control->setEnabled(!running);
    if (running) {
        m_progress->setValue(0);
        m_progress->setFormat(tr("Starting\u2026"));
    }
}

void FaithfulnessPanel::setProgress(double fraction, const QString& stage) {
    m_progress->setValue(static_cast<int>(std::lround(std::clamp(fraction, 0.0, 1.0) * 1000)));
    m_progress->setFormat(stage.isEmpty() ? QStringLiteral("%p%") : stage + QStringLiteral(" \u00b7 %p%"));
}

void FaithfulnessPanel::clearResult() {
    m_plot->hide();
    m_result->hide();
    m_result->clear();
}

void FaithfulnessPanel::setError(const QString& text) {
    m_plot->hide();
    m_result->setText(text);
    m_result->show();
}

QString FaithfulnessPanel::resultText() const {
    return m_result->text();
}

void FaithfulnessPanel::setResult(const FaithfulnessResult& result, const QString& className,
                                  const QString& window) {
    m_plot->clearPlottables();
    m_plot->clearItems();
    auto addBar = [this](double key, double value, const QColor& color) {
        auto* bars = new QCPBars(m_plot->yAxis, m_plot->xAxis);
        bars->setWidth(0.6);
        bars->setPen(Qt::NoPen);
        bars->setBrush(color);
        bars->addData(key, value);
        auto* label = new QCPItemText(m_plot);
        label->position->setCoords(value, key);
        label->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
        label->setPadding(QMargins(6, 0, 0, 0));
        label->setText(QString::number(value, 'f', 2));
        label->setColor(palette().color(QPalette::WindowText));
        return bars;
    };
    addBar(kBaseKey, result.baseScore, kBaseColor);
    addBar(kAttendedKey, result.attendedScore, kAttendedColor);
    const double randomScore = result.baseScore - result.randomDrop();
    QCPBars* random = addBar(kRandomKey, randomScore, kRandomColor);
    if (result.randomScores.size() > 1) {
        auto* spread = new QCPErrorBars(m_plot->yAxis, m_plot->xAxis);
        spread->setDataPlottable(random);
        spread->setErrorType(QCPErrorBars::etValueError);
        spread->addData(result.randomDropSpread());
        spread->setPen(QPen(palette().color(QPalette::WindowText), 1.5));
        spread->setWhiskerWidth(8);
    }
    const int share =
        static_cast<int>(std::lround(100.0 * result.maskedPatches / std::max(1, result.totalPatches)));
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    ticker->addTick(kBaseKey, tr("Unmasked"));
    ticker->addTick(kAttendedKey, tr("Top %1% masked").arg(share));
    ticker->addTick(kRandomKey, tr("Random %1% masked").arg(share));
    m_plot->yAxis->setTicker(ticker);
    m_plot->yAxis->setRange(0.4, 3.6);
    // Room for the value labels right of the longest bar.
    const double longest =
        std::max({result.baseScore, result.attendedScore, randomScore + result.randomDropSpread()});
    m_plot->xAxis->setRange(0.0, std::min(1.0, std::max(0.05, longest * 1.3)));
    m_plot->xAxis->setLabel(tr("score of \u201c%1\u201d").arg(className));
    m_plot->replot();
    m_plot->show();

    const double attended = result.attendedDrop();
    const double randomDrop = result.randomDrop();
    QString verdict;
    if (attended > randomDrop + 2.0 * result.randomDropSpread() && attended > 0.01)
        verdict =
            randomDrop > 0.005
                ? tr("The model relies on the patches its attention marks: %1\u00d7 the random drop.")
                      .arg(attended / randomDrop, 0, 'f', 1)
                : tr("The model relies on the patches its attention marks; random masks barely matter.");
    else if (attended > randomDrop)
        verdict = tr("Masking the attended patches hurts only a little more than random masks.");
    else
        verdict = tr("The attention does not single out the patches the model needs: random masks hurt as "
                     "much or more.");
    const int draws = static_cast<int>(result.randomScores.size());
    m_result->setText(tr("<b>%1</b><br>Masking the %2 most-attended patches of %3 changes the score of "
                         "\u201c%4\u201d from %5 to %6 (%7); random masks of the same size: %8 \u00b1 %9 "
                         "(%10).<br>%11")
                          .arg(window.toHtmlEscaped())
                          .arg(result.maskedPatches)
                          .arg(result.totalPatches)
                          .arg(className.toHtmlEscaped())
                          .arg(result.baseScore, 0, 'f', 2)
                          .arg(result.attendedScore, 0, 'f', 2)
                          .arg(signedValue(attended))
                          .arg(signedValue(randomDrop))
                          .arg(result.randomDropSpread(), 0, 'f', 2)
                          .arg(draws == 1 ? tr("1 draw") : tr("%1 draws").arg(draws))
                          .arg(verdict));
    m_result->show();
}

void FaithfulnessPanel::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        styleFromPalette();
}

void FaithfulnessPanel::styleFromPalette() {
    const QColor text = palette().color(QPalette::WindowText);
    const QColor grid = palette().color(QPalette::Mid);
    m_plot->setBackground(palette().brush(QPalette::Window));
    for (QCPAxis* axis : {m_plot->xAxis, m_plot->yAxis}) {
        axis->setBasePen(QPen(grid));
        axis->setTickPen(QPen(grid));
        axis->setSubTickPen(QPen(grid));
        axis->setTickLabelColor(text);
        axis->setLabelColor(text);
        axis->grid()->setPen(QPen(grid, 0, Qt::DotLine));
    }
    m_plot->yAxis->grid()->setVisible(false);
    m_plot->yAxis->setTickLength(0, 0);
    m_plot->yAxis->setSubTicks(false);
    m_plot->replot();
}

} // namespace saccade
