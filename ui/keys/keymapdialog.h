#pragma once

#include "ui/keys/keymap.h"

#include <QDialog>
#include <QVector>

class QKeySequenceEdit;
class QLabel;
class QLineEdit;
class QTableWidget;

namespace saccade {

/// Edits a KeyMap: a searchable table of commands with a primary and an alternative key each
/// (QKeySequenceEdit), conflict warnings, and reset to defaults. The caller reads keyMap() on accept.
class KeyMapDialog : public QDialog {
    Q_OBJECT
public:
    static constexpr int kKeyColumns = 2;

    explicit KeyMapDialog(const KeyMap& keyMap, QWidget* parent = nullptr);

    KeyMap keyMap() const { return m_keyMap; }
    /// The editor of `command`'s key number `slot` (0 primary, 1 alternative).
    QKeySequenceEdit* editor(Command command, int slot) const;
    QTableWidget* table() const { return m_table; }

private:
    void load();
    void commitRow(int row);
    void updateConflicts();
    void applyFilter(const QString& text);

    KeyMap m_keyMap;
    QVector<Command> m_rowCommands;
    QLineEdit* m_filter = nullptr;
    QTableWidget* m_table = nullptr;
    QLabel* m_conflicts = nullptr;
    bool m_loading = false;
};

} // namespace saccade
