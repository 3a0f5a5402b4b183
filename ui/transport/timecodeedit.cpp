#include "ui/transport/timecodeedit.h"

#include "ui/keys/editkeyguard.h"

#include <QKeyEvent>

namespace saccade {

TimecodeEdit::TimecodeEdit(QWidget* parent) : QLineEdit(parent) {
    setAlignment(Qt::AlignCenter);
    QFont mono = font();
    mono.setFamily(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    setFont(mono);
    setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("000:00:00.0000")));
    setMaximumWidth(minimumWidth() + 16);
    setToolTip(tr("Position as HH:MM:SS.mmm; type a time and press Enter to go there"));
    setText(Timecode::formatMs(0));
    EditKeyGuard::install(this);
    connect(this, &QLineEdit::returnPressed, this, &TimecodeEdit::commit);
    connect(this, &QLineEdit::textEdited, this, [this] { markInvalid(false); });
}

void TimecodeEdit::setFrameRate(FrameRate rate) {
    m_rate = rate;
    revert();
}

void TimecodeEdit::setFrame(qint64 frame) {
    m_frame = frame;
    if (!hasFocus() || !isModified())
        revert();
}

void TimecodeEdit::commit() {
    const std::optional<qint64> ms = Timecode::parseMs(text());
    if (!ms || !m_rate.isValid()) {
        markInvalid(true);
        return;
    }
    markInvalid(false);
    setModified(false);
    const qint64 frame = Timecode::msToFrame(*ms, m_rate);
    Q_EMIT frameRequested(frame);
    selectAll();
}

void TimecodeEdit::revert() {
    markInvalid(false);
    setText(Timecode::formatFrame(m_frame, m_rate));
    setModified(false);
}

void TimecodeEdit::markInvalid(bool invalid) {
    // A red border reads as an error in light and dark themes alike.
    setStyleSheet(invalid ? QStringLiteral("QLineEdit { border: 1px solid #d83b3b; }") : QString());
    setToolTip(invalid ? tr("Not a time: use HH:MM:SS.mmm, MM:SS.mmm or seconds")
                       : tr("Position as HH:MM:SS.mmm; type a time and press Enter to go there"));
}

void TimecodeEdit::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Escape) {
        revert();
        clearFocus();
        return;
    }
    QLineEdit::keyPressEvent(event);
}

void TimecodeEdit::focusOutEvent(QFocusEvent* event) {
    QLineEdit::focusOutEvent(event);
    revert();
}

} // namespace saccade
