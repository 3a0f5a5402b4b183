#include "ui/mainwindow/progressarea.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QStyle>
#include <QToolButton>

#include <algorithm>
#include <cmath>

namespace saccade {

ProgressArea::ProgressArea(QWidget* parent) : QWidget(parent) {
    m_title = new QLabel(this);
    m_bar = new QProgressBar(this);
    m_bar->setRange(0, 1000);
    m_bar->setTextVisible(false);
    m_bar->setFixedWidth(160);
    m_bar->setMaximumHeight(14);
    m_timeLeft = new QLabel(this);
    m_timeLeft->setForegroundRole(QPalette::PlaceholderText);
    m_cancel = new QToolButton(this);
    m_cancel->setAutoRaise(true);
    m_cancel->setIcon(style()->standardIcon(QStyle::SP_DialogCancelButton));
    m_cancel->setToolTip(tr("Cancel"));
    m_cancel->setFocusPolicy(Qt::NoFocus);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    layout->addWidget(m_title);
    layout->addWidget(m_bar);
    layout->addWidget(m_timeLeft);
    layout->addWidget(m_cancel);
    connect(m_cancel, &QToolButton::clicked, this, &ProgressArea::cancelRequested);
    hide();
}

void ProgressArea::start(const QString& title) {
    m_active = true;
    m_fraction = 0.0;
    m_clock.start();
    m_title->setText(title);
    m_bar->setValue(0);
    m_timeLeft->clear();
    show();
}

void ProgressArea::setProgress(double fraction) {
    if (!m_active)
        return;
    m_fraction = std::clamp(fraction, 0.0, 1.0);
    m_bar->setValue(int(std::lround(m_fraction * 1000)));
    m_timeLeft->setText(timeLeftText());
}

void ProgressArea::finish() {
    m_active = false;
    hide();
}

QString ProgressArea::timeLeftText() const {
    return m_active ? estimateText(m_clock.elapsed(), m_fraction) : QString();
}

QString ProgressArea::estimateText(qint64 elapsedMs, double fraction) {
    // Early rates are noise; wait for a little progress and a little time.
    if (fraction < 0.02 || elapsedMs < 1000 || fraction >= 1.0)
        return {};
    const double leftSeconds = elapsedMs / 1000.0 * (1.0 - fraction) / fraction;
    if (leftSeconds < 5)
        return tr("a few seconds left");
    if (leftSeconds < 90)
        return tr("about %1 s left").arg(std::lround(leftSeconds / 5) * 5);
    if (leftSeconds < 90 * 60)
        return tr("about %1 min left").arg(std::lround(leftSeconds / 60));
    return tr("about %1 h left").arg(QString::number(leftSeconds / 3600, 'f', 1));
}

} // namespace saccade
