#include "core/annotation/videolistmodel.h"

#include "core/annotation/projectdocument.h"

#include <QFileInfo>

namespace saccade {

VideoListModel::VideoListModel(ProjectDocument* document, QObject* parent)
    : QAbstractTableModel(parent), m_document(document) {
    connect(document, &ProjectDocument::videoAboutToBeInserted, this,
            [this](int row) { beginInsertRows({}, row, row); });
    connect(document, &ProjectDocument::videoInserted, this, [this] { endInsertRows(); });
    connect(document, &ProjectDocument::videoAboutToBeRemoved, this,
            [this](int row) { beginRemoveRows({}, row, row); });
    connect(document, &ProjectDocument::videoRemoved, this, [this] { endRemoveRows(); });
    connect(document, &ProjectDocument::videoChanged, this,
            [this](int row) { Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1)); });
    connect(document, &ProjectDocument::aboutToReset, this, [this] { beginResetModel(); });
    connect(document, &ProjectDocument::resetDone, this, [this] { endResetModel(); });
}

int VideoListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !m_document ? 0 : static_cast<int>(m_document->videos().size());
}

int VideoListModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant VideoListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid) || !m_document)
        return {};
    const VideoEntry& video = m_document->videos()[static_cast<size_t>(index.row())];
    if (role == VideoIdRole)
        return video.id;
    if (role == MissingRole)
        return video.missing;
    if (role == Qt::ToolTipRole)
        return video.path;
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case IdColumn:
        return video.id;
    case FileColumn:
        return QFileInfo(video.path).fileName();
    case FramesColumn:
        return video.probe.frameCount;
    case FpsColumn:
        return video.probe.fps;
    case SplitColumn:
        return splitName(video.split);
    case SegmentsColumn:
        return static_cast<qlonglong>(video.segments.size());
    case StatusColumn:
        return video.missing ? tr("missing") : tr("ok");
    default:
        return {};
    }
}

QVariant VideoListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case IdColumn:
        return tr("Video");
    case FileColumn:
        return tr("File");
    case FramesColumn:
        return tr("Frames");
    case FpsColumn:
        return tr("FPS");
    case SplitColumn:
        return tr("Split");
    case SegmentsColumn:
        return tr("Segments");
    case StatusColumn:
        return tr("Status");
    default:
        return {};
    }
}

} // namespace saccade
