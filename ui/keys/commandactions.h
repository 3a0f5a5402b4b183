#pragma once

#include "ui/keys/keymap.h"

#include <QHash>
#include <QObject>

class QAction;
class QWidget;

namespace saccade {

/// One QAction per Command, with text and shortcuts from a KeyMap, added to a host widget so the
/// shortcuts work anywhere in its window. Owned by the host; GUI thread.
class CommandActions : public QObject {
    Q_OBJECT
public:
    explicit CommandActions(QWidget* host);

    QAction* action(Command command) const;
    void applyKeyMap(const KeyMap& keyMap);

Q_SIGNALS:
    /// Emitted for every triggered action, in addition to QAction::triggered.
    void commandTriggered(saccade::Command command);

private:
    QHash<Command, QAction*> m_actions;
};

} // namespace saccade
