#include "ui/keys/commandactions.h"

#include <QAction>
#include <QWidget>

namespace saccade {

CommandActions::CommandActions(QWidget* host) : QObject(host) {
    for (const KeyMap::Entry& entry : KeyMap::entries()) {
        auto* action = new QAction(entry.text, host);
        action->setShortcutContext(Qt::WindowShortcut);
        // Held J/L or arrow keys should keep shuttling and stepping, like mpv.
        action->setAutoRepeat(true);
        const Command command = entry.command;
        connect(action, &QAction::triggered, this, [this, command] { Q_EMIT commandTriggered(command); });
        host->addAction(action);
        m_actions.insert(command, action);
    }
    applyKeyMap(KeyMap());
}

QAction* CommandActions::action(Command command) const {
    return m_actions.value(command);
}

void CommandActions::applyKeyMap(const KeyMap& keyMap) {
    for (auto it = m_actions.cbegin(); it != m_actions.cend(); ++it)
        it.value()->setShortcuts(keyMap.sequences(it.key()));
}

} // namespace saccade
