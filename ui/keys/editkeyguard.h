#pragma once

#include <QObject>

namespace saccade {

/// Lets text fields keep Enter, Escape, arrows, Home/End and Backspace while they have focus, even
/// when the window binds those keys as shortcuts (Enter creates a segment, arrows step frames).
/// Install it on the field with installEventFilter(); owned by the field.
class EditKeyGuard : public QObject {
    Q_OBJECT
public:
    explicit EditKeyGuard(QObject* field);

    /// Installs a guard on `field`.
    static void install(QObject* field);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
};

} // namespace saccade
