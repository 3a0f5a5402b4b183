#include "ui/keys/keymapdialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QKeySequenceEdit>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace saccade {

namespace {

constexpr int kActionColumn = 0;
constexpr int kFirstKeyColumn = 1;

} // namespace

KeyMapDialog::KeyMapDialog(const KeyMap& keyMap, QWidget* parent) : QDialog(parent), m_keyMap(keyMap) {
    setWindowTitle(tr("Keyboard Shortcuts"));
    m_filter = new QLineEdit(this);
    m_filter->setPlaceholderText(tr("Search commands"));
    m_filter->setClearButtonEnabled(true);

    m_table = new QTableWidget(0, 1 + kKeyColumns, this);
    m_table->setHorizontalHeaderLabels({tr("Command"), tr("Key"), tr("Alternative")});
    m_table->horizontalHeader()->setSectionResizeMode(kActionColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(kFirstKeyColumn, QHeaderView::Fixed);
    m_table->horizontalHeader()->setSectionResizeMode(kFirstKeyColumn + 1, QHeaderView::Fixed);
    m_table->setColumnWidth(kFirstKeyColumn, 150);
    m_table->setColumnWidth(kFirstKeyColumn + 1, 150);
    m_table->verticalHeader()->hide();
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);

    m_conflicts = new QLabel(this);
    m_conflicts->setWordWrap(true);
    m_conflicts->setStyleSheet(QStringLiteral("color: #d83b3b;"));

    auto* buttons = new QDialogButtonBox(
        QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::RestoreDefaults, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this, [this] {
        m_keyMap.resetToDefaults();
        load();
    });
    connect(m_filter, &QLineEdit::textChanged, this, &KeyMapDialog::applyFilter);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_filter);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_conflicts);
    layout->addWidget(buttons);
    resize(560, 620);

    const auto& entries = KeyMap::entries();
    m_table->setRowCount(int(entries.size()));
    for (int row = 0; row < int(entries.size()); ++row) {
        const KeyMap::Entry& entry = entries[size_t(row)];
        m_rowCommands.append(entry.command);
        auto* item = new QTableWidgetItem(entry.text);
        item->setToolTip(entry.group);
        m_table->setItem(row, kActionColumn, item);
        for (int slot = 0; slot < kKeyColumns; ++slot) {
            auto* edit = new QKeySequenceEdit(m_table);
            edit->setToolTip(tr("Click and press a key; Backspace in an empty field clears it"));
            connect(edit, &QKeySequenceEdit::editingFinished, this, [this, row] { commitRow(row); });
            connect(edit, &QKeySequenceEdit::keySequenceChanged, this,
                    [this, row, edit](const QKeySequence& seq) {
                        // One key per field: a shortcut of several chords is not what any command here wants.
                        if (seq.count() > 1) {
                            edit->setKeySequence(QKeySequence(seq[0]));
                        }
                        if (!m_loading)
                            commitRow(row);
                    });
            m_table->setCellWidget(row, kFirstKeyColumn + slot, edit);
        }
    }
    m_table->resizeRowsToContents();
    load();
}

QKeySequenceEdit* KeyMapDialog::editor(Command command, int slot) const {
    const int row = int(m_rowCommands.indexOf(command));
    if (row < 0 || slot < 0 || slot >= kKeyColumns)
        return nullptr;
    return qobject_cast<QKeySequenceEdit*>(m_table->cellWidget(row, kFirstKeyColumn + slot));
}

void KeyMapDialog::load() {
    m_loading = true;
    for (int row = 0; row < m_rowCommands.size(); ++row) {
        const QList<QKeySequence> sequences = m_keyMap.sequences(m_rowCommands[row]);
        for (int slot = 0; slot < kKeyColumns; ++slot) {
            auto* edit = qobject_cast<QKeySequenceEdit*>(m_table->cellWidget(row, kFirstKeyColumn + slot));
            edit->setKeySequence(slot < sequences.size() ? sequences[slot] : QKeySequence());
        }
    }
    m_loading = false;
    updateConflicts();
}

void KeyMapDialog::commitRow(int row) {
    const Command command = m_rowCommands[row];
    QList<QKeySequence> sequences;
    for (int slot = 0; slot < kKeyColumns; ++slot) {
        auto* edit = qobject_cast<QKeySequenceEdit*>(m_table->cellWidget(row, kFirstKeyColumn + slot));
        if (!edit->keySequence().isEmpty())
            sequences.append(edit->keySequence());
    }
    // Keys beyond the editable slots (none by default) are kept so editing never drops a binding.
    const QList<QKeySequence> previous = m_keyMap.sequences(command);
    for (int index = kKeyColumns; index < previous.size(); ++index)
        sequences.append(previous[index]);
    m_keyMap.setSequences(command, sequences);
    updateConflicts();
}

void KeyMapDialog::updateConflicts() {
    QStringList messages;
    for (const KeyMap::Entry& entry : KeyMap::entries()) {
        for (const QKeySequence& sequence : m_keyMap.sequences(entry.command)) {
            for (Command other : m_keyMap.conflicts(sequence, entry.command)) {
                // Report each pair once.
                if (int(other) > int(entry.command)) {
                    messages.append(tr("%1 is used by both \"%2\" and \"%3\".")
                                        .arg(sequence.toString(QKeySequence::NativeText), entry.text,
                                             KeyMap::entry(other).text));
                }
            }
        }
    }
    m_conflicts->setText(messages.join(QLatin1Char('\n')));
    m_conflicts->setVisible(!messages.isEmpty());
}

void KeyMapDialog::applyFilter(const QString& text) {
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const QString name = m_table->item(row, kActionColumn)->text();
        const QString keys = QKeySequence::listToString(m_keyMap.sequences(m_rowCommands[row]));
        m_table->setRowHidden(row, !text.isEmpty() && !name.contains(text, Qt::CaseInsensitive) &&
                                       !keys.contains(text, Qt::CaseInsensitive));
    }
}

} // namespace saccade
