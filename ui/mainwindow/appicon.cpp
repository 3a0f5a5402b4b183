#include "ui/mainwindow/appicon.h"

#include <QPainter>
#include <QPainterPath>
#include <QPixmap>
#include <QRadialGradient>

namespace saccade {

namespace {

// Paints the design in its 128 x 128 units.
void paintDesign(QPainter& painter) {
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(0x1e, 0x22, 0x30));
    painter.drawRoundedRect(QRectF(8, 20, 112, 88), 14, 14);

    painter.setBrush(QColor(0x2c, 0x32, 0x46));
    for (const QPointF corner : {QPointF(14, 26), QPointF(14, 94), QPointF(104, 26), QPointF(104, 94)})
        painter.drawRoundedRect(QRectF(corner, QSizeF(10, 8)), 2, 2);

    QPainterPath eye(QPointF(20, 64));
    eye.cubicTo(38, 38, 90, 38, 108, 64);
    eye.cubicTo(90, 90, 38, 90, 20, 64);
    painter.setBrush(QColor(0xf4, 0xf5, 0xf8));
    painter.drawPath(eye);

    QRadialGradient heat(QPointF(64, 64), 21);
    heat.setColorAt(0.0, QColor(0xfd, 0xe7, 0x25));
    heat.setColorAt(0.45, QColor(0x21, 0x91, 0x8c));
    heat.setColorAt(1.0, QColor(0x44, 0x01, 0x54));
    painter.setBrush(heat);
    painter.drawEllipse(QPointF(64, 64), 21, 21);
    painter.setBrush(QColor(0x11, 0x13, 0x20));
    painter.drawEllipse(QPointF(64, 64), 8, 8);
    painter.setBrush(QColor(255, 255, 255, 230));
    painter.drawEllipse(QPointF(58, 58), 3, 3);

    // The timeline under the frame: analysed (teal) and the rest (yellow).
    for (const auto& [length, colour] :
         {std::pair{72.0, QColor(0xfd, 0xe7, 0x25)}, std::pair{30.0, QColor(0x21, 0x91, 0x8c)}}) {
        painter.setPen(QPen(colour, 5, Qt::SolidLine, Qt::RoundCap));
        painter.drawLine(QPointF(28, 112), QPointF(28 + length, 112));
    }
}

} // namespace

QIcon appIcon() {
    QIcon icon;
    for (const int side : {16, 24, 32, 48, 64, 128, 256}) {
        QPixmap pixmap(side, side);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.scale(side / 128.0, side / 128.0);
        paintDesign(painter);
        painter.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

} // namespace saccade
