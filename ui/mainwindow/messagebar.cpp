#include "ui/mainwindow/messagebar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

namespace saccade {

MessageBar::MessageBar(QWidget* parent) : QFrame(parent) {
    setObjectName(QStringLiteral("MessageBar"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    m_icon = new QLabel(this);
    m_text = new QLabel(this);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_action = new QToolButton(this);
    m_action->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_action->setFocusPolicy(Qt::NoFocus);
    m_close = new QToolButton(this);
    m_close->setAutoRaise(true);
    m_close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    m_close->setToolTip(tr("Dismiss"));
    m_close->setFocusPolicy(Qt::NoFocus);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 6, 6);
    layout->setSpacing(10);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_action);
    layout->addWidget(m_close, 0, Qt::AlignTop);

    connect(m_action, &QToolButton::clicked, this, [this] {
        Q_EMIT actionTriggered();
        dismiss();
    });
    connect(m_close, &QToolButton::clicked, this, &MessageBar::dismiss);
    hide();
}

void MessageBar::showMessage(Kind kind, const QString& text, const QString& actionText) {
    m_kind = kind;
    QStyle::StandardPixmap icon = QStyle::SP_MessageBoxInformation;
    QColor tint(52, 132, 228);
    switch (kind) {
    case Kind::Information:
        break;
    case Kind::Warning:
        icon = QStyle::SP_MessageBoxWarning;
        tint = QColor(246, 174, 45);
        break;
    case Kind::Error:
        icon = QStyle::SP_MessageBoxCritical;
        tint = QColor(218, 68, 83);
        break;
    }
    // Tint the window colour rather than replace it, so the strip suits light and dark palettes.
    QPalette tinted = palette();
    const QColor base = parentWidget() ? parentWidget()->palette().color(QPalette::Window)
                                       : palette().color(QPalette::Window);
    const double mix = 0.22;
    const QColor background = QColor::fromRgbF(base.redF() * (1 - mix) + tint.redF() * mix,
                                               base.greenF() * (1 - mix) + tint.greenF() * mix,
                                               base.blueF() * (1 - mix) + tint.blueF() * mix);
    tinted.setColor(QPalette::Window, background);
    setPalette(tinted);
    setStyleSheet(
        QStringLiteral("#MessageBar { border: 1px solid %1; border-radius: 4px; }").arg(tint.name()));
    const int iconSize = style()->pixelMetric(QStyle::PM_SmallIconSize);
    m_icon->setPixmap(style()->standardIcon(icon).pixmap(iconSize, iconSize));
    m_text->setText(text);
    m_action->setText(actionText);
    m_action->setVisible(!actionText.isEmpty());
    show();
}

void MessageBar::dismiss() {
    if (isHidden())
        return;
    hide();
    Q_EMIT dismissed();
}

QString MessageBar::text() const {
    return m_text->text();
}

} // namespace saccade
