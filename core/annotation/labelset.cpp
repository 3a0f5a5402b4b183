#include "core/annotation/labelset.h"

#include <array>
#include <cmath>

namespace saccade {

namespace {

// Number keys in keyboard order: 1..9 then 0.
constexpr std::array<int, 10> kKeyOrder = {1, 2, 3, 4, 5, 6, 7, 8, 9, 0};

Error unknownLabel(const QString& name) {
    return Error::invalidArgument(QStringLiteral("unknown label '%1'").arg(name));
}

} // namespace

Result<LabelSet> LabelSet::fromNames(const QStringList& names) {
    LabelSet set;
    for (const QString& name : names) {
        Status added = set.add(name);
        if (!added)
            return added.error();
    }
    return set;
}

int LabelSet::indexOf(const QString& name) const {
    return m_positions.value(name, -1);
}

void LabelSet::reindex() {
    m_positions.clear();
    m_keyHolders.fill(-1);
    for (size_t i = 0; i < m_labels.size(); ++i) {
        m_positions.insert(m_labels[i].name, static_cast<int>(i));
        if (m_labels[i].key >= 0 && m_labels[i].key <= 9)
            m_keyHolders[static_cast<size_t>(m_labels[i].key)] = static_cast<int>(i);
    }
}

const Label* LabelSet::label(const QString& name) const {
    const int index = indexOf(name);
    return index < 0 ? nullptr : &m_labels[static_cast<size_t>(index)];
}

QStringList LabelSet::names() const {
    QStringList result;
    for (const Label& label : m_labels)
        result << label.name;
    return result;
}

QString LabelSet::nameForKey(int key) const {
    if (key < 0 || key > 9 || m_keyHolders[static_cast<size_t>(key)] < 0)
        return {};
    return m_labels[static_cast<size_t>(m_keyHolders[static_cast<size_t>(key)])].name;
}

Status LabelSet::checkNewName(const QString& name) const {
    if (name.trimmed().isEmpty())
        return Error::invalidArgument(QStringLiteral("a label name cannot be empty"));
    if (name.trimmed() != name)
        return Error::invalidArgument(QStringLiteral("label '%1' has leading or trailing spaces").arg(name));
    if (contains(name))
        return Error::invalidArgument(QStringLiteral("label '%1' already exists").arg(name));
    return {};
}

int LabelSet::freeKey() const {
    for (int key : kKeyOrder) {
        if (nameForKey(key).isEmpty())
            return key;
    }
    return -1;
}

Status LabelSet::add(const QString& name) {
    Status valid = checkNewName(name);
    if (!valid)
        return valid;
    const int key = freeKey();
    m_labels.push_back({name, defaultColor(size()), key});
    m_positions.insert(name, size() - 1);
    if (key >= 0)
        m_keyHolders[static_cast<size_t>(key)] = size() - 1;
    return {};
}

Status LabelSet::rename(const QString& from, const QString& to) {
    const int index = indexOf(from);
    if (index < 0)
        return unknownLabel(from);
    Status valid = checkNewName(to);
    if (!valid)
        return valid;
    m_labels[static_cast<size_t>(index)].name = to;
    m_positions.remove(from);
    m_positions.insert(to, index);
    return {};
}

Status LabelSet::merge(const QString& from, const QString& into) {
    const int index = indexOf(from);
    if (index < 0)
        return unknownLabel(from);
    if (!contains(into))
        return unknownLabel(into);
    if (from == into)
        return Error::invalidArgument(QStringLiteral("cannot merge label '%1' into itself").arg(from));
    m_labels.erase(m_labels.begin() + index);
    reindex();
    return {};
}

Status LabelSet::setColor(const QString& name, const QColor& color) {
    const int index = indexOf(name);
    if (index < 0)
        return unknownLabel(name);
    if (!color.isValid())
        return Error::invalidArgument(QStringLiteral("invalid colour for label '%1'").arg(name));
    // Stored as RGB so colours compare equal after a save and load.
    m_labels[static_cast<size_t>(index)].color = QColor(color.rgb());
    return {};
}

Status LabelSet::setKey(const QString& name, int key) {
    const int index = indexOf(name);
    if (index < 0)
        return unknownLabel(name);
    if (key < -1 || key > 9)
        return Error::invalidArgument(QStringLiteral("number key must be 0-9, got %1").arg(key));
    Label& label = m_labels[static_cast<size_t>(index)];
    if (label.key >= 0)
        m_keyHolders[static_cast<size_t>(label.key)] = -1;
    if (key >= 0) {
        const int holder = m_keyHolders[static_cast<size_t>(key)];
        if (holder >= 0)
            m_labels[static_cast<size_t>(holder)].key = -1;
        m_keyHolders[static_cast<size_t>(key)] = index;
    }
    label.key = key;
    return {};
}

QColor LabelSet::defaultColor(int index) {
    // Golden-angle hue steps keep neighbouring classes apart however many there are.
    const int hue = static_cast<int>(std::fmod(index * 137.508, 360.0));
    return QColor(QColor::fromHsv(hue, 180, 230).rgb());
}

} // namespace saccade
