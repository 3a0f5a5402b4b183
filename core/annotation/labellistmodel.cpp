#include "core/annotation/labellistmodel.h"

#include "core/annotation/projectdocument.h"

#include <QColor>

namespace saccade {

LabelListModel::LabelListModel(ProjectDocument* document, QObject* parent)
    : QAbstractListModel(parent), m_document(document) {
    // Label sets are short; a reset is cheap and keeps renames, merges and reorders simple.
    connect(document, &ProjectDocument::labelsChanged, this, [this] {
        beginResetModel();
        endResetModel();
    });
    connect(document, &ProjectDocument::segmentChanged, this, [this] {
        if (rowCount() > 0)
            Q_EMIT dataChanged(index(0), index(rowCount() - 1), {UsageRole});
    });
}

int LabelListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !m_document ? 0 : m_document->labels().size();
}

QVariant LabelListModel::data(const QModelIndex& index, int role) const {
    if (!m_document || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Label& label = m_document->labels().labels()[static_cast<size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return label.name;
    case ColorRole:
        return label.color;
    case KeyRole:
        return label.key;
    case UsageRole: {
        int uses = 0;
        for (const VideoEntry& video : m_document->videos()) {
            for (const Segment& segment : video.segments)
                uses += segment.label == label.name ? 1 : 0;
        }
        return uses;
    }
    default:
        return {};
    }
}

bool LabelListModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (!m_document || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return false;
    const QString name = m_document->labels().labels()[static_cast<size_t>(index.row())].name;
    if (role == Qt::EditRole)
        return m_document->renameLabel(name, value.toString()).ok();
    if (role == ColorRole)
        return m_document->setLabelColor(name, value.value<QColor>()).ok();
    if (role == KeyRole)
        return m_document->setLabelKey(name, value.toInt()).ok();
    return false;
}

Qt::ItemFlags LabelListModel::flags(const QModelIndex& index) const {
    return index.isValid() ? QAbstractListModel::flags(index) | Qt::ItemIsEditable
                           : QAbstractListModel::flags(index);
}

} // namespace saccade
