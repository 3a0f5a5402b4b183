#pragma once

#include "core/util/result.h"

#include <QColor>
#include <QHash>
#include <QString>
#include <QStringList>

#include <array>
#include <vector>

namespace saccade {

/// One class of a label set: its name (unique, non-empty), display colour and number key
/// (0-9, or -1 for none). Index order is the class index exporters write.
struct Label {
    QString name;
    QColor color;
    int key = -1;

    bool operator==(const Label& other) const {
        return name == other.name && color == other.color && key == other.key;
    }
};

/// The ordered classes of a project. A plain value; the document changes it through undo commands.
class LabelSet {
public:
    LabelSet() = default;
    /// Labels with default colours and keys 1-9, 0 for the first ten.
    static Result<LabelSet> fromNames(const QStringList& names);

    const std::vector<Label>& labels() const { return m_labels; }
    int size() const { return static_cast<int>(m_labels.size()); }
    bool isEmpty() const { return m_labels.empty(); }
    int indexOf(const QString& name) const;
    bool contains(const QString& name) const { return indexOf(name) >= 0; }
    const Label* label(const QString& name) const;
    QStringList names() const;
    /// The label bound to number key `key` (0-9), or an empty string.
    QString nameForKey(int key) const;

    /// Appends a label (default colour, next free number key). Fails on empty or duplicate names.
    Status add(const QString& name);
    Status rename(const QString& from, const QString& to);
    /// Removes `from`; segments labelled `from` are relabelled `into` by the document.
    Status merge(const QString& from, const QString& into);
    Status setColor(const QString& name, const QColor& color);
    /// Binds `key` (0-9, or -1 to unbind) to `name`; a label that held the key loses it.
    Status setKey(const QString& name, int key);

    /// The default colour of the label at `index` (a fixed, well-separated palette).
    static QColor defaultColor(int index);

    bool operator==(const LabelSet& other) const { return m_labels == other.m_labels; }
    bool operator!=(const LabelSet& other) const { return !(*this == other); }

private:
    Status checkNewName(const QString& name) const;
    int freeKey() const;
    // Rebuilds the lookups below from m_labels.
    void reindex();

    std::vector<Label> m_labels;
    // Name -> index and key -> index (-1 when free), so that lookups and adds stay O(1) with 200,000
    // labels instead of scanning the list.
    QHash<QString, int> m_positions;
    std::array<int, 10> m_keyHolders{-1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
};

} // namespace saccade
