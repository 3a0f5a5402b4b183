#include "ui/keys/editkeyguard.h"

#include <QKeyEvent>

namespace saccade {

EditKeyGuard::EditKeyGuard(QObject* field) : QObject(field) {}

void EditKeyGuard::install(QObject* field) {
    field->installEventFilter(new EditKeyGuard(field));
}

bool EditKeyGuard::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::ShortcutOverride) {
        auto* key = static_cast<QKeyEvent*>(event);
        const Qt::KeyboardModifiers modifiers = key->modifiers() & ~(Qt::KeypadModifier | Qt::ShiftModifier);
        switch (key->key()) {
        case Qt::Key_Return:
        case Qt::Key_Enter:
        case Qt::Key_Escape:
        case Qt::Key_Left:
        case Qt::Key_Right:
        case Qt::Key_Up:
        case Qt::Key_Down:
        case Qt::Key_Home:
        case Qt::Key_End:
        case Qt::Key_Backspace:
        case Qt::Key_Delete:
            if (modifiers == Qt::NoModifier) {
                // Accepting the override delivers the key to the field instead of the shortcut.
                event->accept();
                return true;
            }
            break;
        default:
            break;
        }
    }
    return QObject::eventFilter(watched, event);
}

} // namespace saccade
