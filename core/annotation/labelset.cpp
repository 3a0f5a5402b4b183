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
    for (size_t i = 0; i < m_labels.size(); ++i) {
        if (m_labels[i].name == name)
            return static_cast<int>(i);
    }
    return -1;
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
    for (const Label& label : m_labels) {
        if (label.key == key)
            return label.name;
    }
    return {};
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
    m_labels.push_back({name, defaultColor(size()), freeKey()});
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
    if (key >= 0) {
        for (Label& label : m_labels) {
            if (label.key == key)
                label.key = -1;
        }
    }
    m_labels[static_cast<size_t>(index)].key = key;
    return {};
}

QColor LabelSet::defaultColor(int index) {
    // Golden-angle hue steps keep neighbouring classes apart however many there are.
    const int hue = static_cast<int>(std::fmod(index * 137.508, 360.0));
    return QColor(QColor::fromHsv(hue, 180, 230).rgb());
}

} // namespace saccade
