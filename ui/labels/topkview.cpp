#include "ui/labels/topkview.h"

#include <QPainter>

#include <algorithm>
#include <cmath>

namespace saccade {

TopKView::TopKView(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
}

int TopKView::rowHeight() const {
    return fontMetrics().height() + 8;
}

QSize TopKView::sizeHint() const {
    return {220, std::max(1, int(m_scores.size())) * rowHeight() + 4};
}

QSize TopKView::minimumSizeHint() const {
    return {120, sizeHint().height()};
}

void TopKView::setScores(const QVector<ClassScore>& scores) {
    m_scores = scores;
    std::stable_sort(m_scores.begin(), m_scores.end(),
                     [](const ClassScore& a, const ClassScore& b) { return a.probability > b.probability; });
    updateGeometry();
    setFixedHeight(sizeHint().height());
    update();
}

void TopKView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing, true);
    if (m_scores.isEmpty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignLeft | Qt::AlignVCenter, tr("No prediction for this frame yet"));
        return;
    }
    const int row = rowHeight();
    const QFontMetrics metrics = fontMetrics();
    const int percentWidth = metrics.horizontalAdvance(QStringLiteral("100%")) + 6;
    for (int index = 0; index < m_scores.size(); ++index) {
        const ClassScore& score = m_scores[index];
        const QRectF rowRect(0, 2 + index * row, width(), row - 4);
        const QRectF track(rowRect.left(), rowRect.top(), rowRect.width() - percentWidth, rowRect.height());
        QColor trough = palette().color(QPalette::Mid);
        trough.setAlphaF(0.25);
        painter.setPen(Qt::NoPen);
        painter.setBrush(trough);
        painter.drawRoundedRect(track, 3, 3);
        QColor bar = score.color.isValid() ? score.color : palette().color(QPalette::Highlight);
        bar.setAlphaF(0.75);
        painter.setBrush(bar);
        const double fraction = std::clamp(score.probability, 0.0, 1.0);
        painter.drawRoundedRect(QRectF(track.topLeft(), QSizeF(track.width() * fraction, track.height())), 3,
                                3);
        painter.setPen(palette().color(QPalette::Text));
        painter.drawText(track.adjusted(6, 0, -4, 0), Qt::AlignLeft | Qt::AlignVCenter,
                         metrics.elidedText(score.name, Qt::ElideRight, int(track.width() - 10)));
        painter.drawText(QRectF(track.right(), rowRect.top(), percentWidth, rowRect.height()),
                         Qt::AlignRight | Qt::AlignVCenter,
                         QStringLiteral("%1%").arg(std::lround(score.probability * 100)));
    }
}

} // namespace saccade
