#pragma once

#include "ui/transport/timecode.h"

#include <QLineEdit>

namespace saccade {

/// A line edit showing the current position as `HH:MM:SS.mmm`. Typing a time and pressing Enter
/// requests the frame on screen at that time; Escape or leaving the field restores the position.
class TimecodeEdit : public QLineEdit {
    Q_OBJECT
public:
    explicit TimecodeEdit(QWidget* parent = nullptr);

    void setFrameRate(FrameRate rate);
    FrameRate frameRate() const { return m_rate; }
    /// Shows `frame` unless the user is typing.
    void setFrame(qint64 frame);
    qint64 frame() const { return m_frame; }

Q_SIGNALS:
    void frameRequested(qint64 frame);

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;

private:
    void commit();
    void revert();
    void markInvalid(bool invalid);

    FrameRate m_rate;
    qint64 m_frame = 0;
};

} // namespace saccade
