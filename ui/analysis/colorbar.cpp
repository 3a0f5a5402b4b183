#include "ui/analysis/colorbar.h"

#include <QPainter>

#include <cmath>

namespace saccade {

namespace {

constexpr int kBarHeight = 12;

} // namespace

QString formatAttentionValue(double value) {
    const double magnitude = std::abs(value);
    if (magnitude != 0.0 && (magnitude < 1e-3 || magnitude >= 1e4))
        return QString::number(value, 'e', 1);
    return QString::number(value, 'g', 3);
}

ColorBar::ColorBar(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

QSize ColorBar::sizeHint() const {
    return {220, kBarHeight + fontMetrics().height() + 6};
}

QSize ColorBar::minimumSizeHint() const {
    return {100, kBarHeight + fontMetrics().height() + 6};
}

void ColorBar::setColormap(Colormap colormap) {
    m_colormap = colormap;
    update();
}

void ColorBar::setRange(double low, double high, bool valid) {
    m_low = low;
    m_high = high;
    m_valid = valid;
    update();
}

void ColorBar::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    const QRect bar(0, 1, width(), kBarHeight);
    QImage gradient(256, 1, QImage::Format_RGB32);
    for (int i = 0; i < 256; ++i)
        gradient.setPixel(i, 0, OverlayRenderer::colorAt(m_colormap, i / 255.0));
    painter.setRenderHint(QPainter::SmoothPixmapTransform, true);
    painter.drawImage(bar, gradient);
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawRect(bar.adjusted(0, 0, -1, -1));
    painter.setPen(palette().color(QPalette::WindowText));
    const QRect text(0, bar.bottom() + 3, width(), fontMetrics().height());
    if (!m_valid) {
        painter.drawText(text, Qt::AlignHCenter | Qt::AlignTop, tr("no map"));
        return;
    }
    painter.drawText(text, Qt::AlignLeft | Qt::AlignTop, formatAttentionValue(m_low));
    painter.drawText(text, Qt::AlignRight | Qt::AlignTop, formatAttentionValue(m_high));
    painter.drawText(text, Qt::AlignHCenter | Qt::AlignTop, formatAttentionValue((m_low + m_high) / 2));
}

} // namespace saccade
