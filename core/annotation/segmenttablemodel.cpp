#include "core/annotation/segmenttablemodel.h"

#include "core/annotation/projectdocument.h"

#include <cmath>

namespace saccade {

namespace {

QString timecode(double seconds) {
    const auto ms = static_cast<qint64>(std::llround(seconds * 1000.0));
    return QStringLiteral("%1:%2:%3.%4")
        .arg(ms / 3600000, 2, 10, QLatin1Char('0'))
        .arg(ms / 60000 % 60, 2, 10, QLatin1Char('0'))
        .arg(ms / 1000 % 60, 2, 10, QLatin1Char('0'))
        .arg(ms % 1000, 3, 10, QLatin1Char('0'));
}

} // namespace

SegmentTableModel::SegmentTableModel(ProjectDocument* document, QObject* parent)
    : QAbstractTableModel(parent), m_document(document) {
    auto mine = [this](const QString& videoId) {
        return videoId == m_videoId;
    };
    connect(document, &ProjectDocument::segmentAboutToBeInserted, this,
            [this, mine](const QString& id, int row) {
                if (mine(id))
                    beginInsertRows({}, row, row);
            });
    connect(document, &ProjectDocument::segmentInserted, this, [this, mine](const QString& id, int) {
        if (mine(id))
            endInsertRows();
    });
    connect(document, &ProjectDocument::segmentAboutToBeRemoved, this,
            [this, mine](const QString& id, int row) {
                if (mine(id))
                    beginRemoveRows({}, row, row);
            });
    connect(document, &ProjectDocument::segmentRemoved, this, [this, mine](const QString& id, int) {
        if (mine(id))
            endRemoveRows();
    });
    connect(document, &ProjectDocument::segmentChanged, this, [this, mine](const QString& id, int row) {
        if (mine(id))
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    });
    connect(document, &ProjectDocument::segmentsAboutToBeReplaced, this, [this, mine](const QString& id) {
        if (mine(id))
            beginResetModel();
    });
    connect(document, &ProjectDocument::segmentsReplaced, this, [this, mine](const QString& id) {
        if (mine(id))
            endResetModel();
    });
    connect(document, &ProjectDocument::videoAboutToBeRemoved, this, [this](int row) {
        if (video() && m_document->data().videoIndex(m_videoId) == row)
            beginResetModel();
    });
    connect(document, &ProjectDocument::videoRemoved, this, [this] {
        if (!video() && !m_videoId.isEmpty()) {
            m_videoId.clear();
            endResetModel();
        }
    });
    connect(document, &ProjectDocument::aboutToReset, this, [this] { beginResetModel(); });
    connect(document, &ProjectDocument::resetDone, this, [this] { endResetModel(); });
    connect(document, &ProjectDocument::labelsChanged, this, [this] {
        if (rowCount() > 0)
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    });
}

void SegmentTableModel::setVideo(const QString& videoId) {
    beginResetModel();
    m_videoId = videoId;
    endResetModel();
}

const VideoEntry* SegmentTableModel::video() const {
    return m_document ? m_document->video(m_videoId) : nullptr;
}

int SegmentTableModel::rowCount(const QModelIndex& parent) const {
    const VideoEntry* entry = video();
    return parent.isValid() || !entry ? 0 : static_cast<int>(entry->segments.size());
}

int SegmentTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SegmentTableModel::data(const QModelIndex& index, int role) const {
    const VideoEntry* entry = video();
    if (!entry || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Segment& segment = entry->segments[static_cast<size_t>(index.row())];
    switch (role) {
    case SegmentIdRole:
        return segment.id;
    case StartFrameRole:
        return segment.startFrame;
    case EndFrameRole:
        return segment.endFrame;
    case LabelRole:
        return segment.label;
    case StateRole:
        return static_cast<int>(segment.state);
    case Qt::DisplayRole:
    case Qt::EditRole:
        break;
    default:
        return {};
    }
    switch (index.column()) {
    case StartColumn:
        return segment.startFrame;
    case EndColumn:
        return segment.endFrame;
    case StartTimeColumn:
        return timecode(entry->secondsAtFrame(segment.startFrame));
    case EndTimeColumn:
        return timecode(entry->secondsAtFrame(segment.endFrame));
    case LabelColumn:
        return segment.label;
    case StateColumn:
        return segmentStateName(segment.state);
    case SourceColumn:
        return segmentOriginName(segment.source.origin);
    case ConfidenceColumn:
        return segment.source.confidence ? QVariant(*segment.source.confidence) : QVariant();
    case NoteColumn:
        return segment.note;
    default:
        return {};
    }
}

bool SegmentTableModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    const VideoEntry* entry = video();
    if (!entry || role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return false;
    Segment segment = entry->segments[static_cast<size_t>(index.row())];
    switch (index.column()) {
    case LabelColumn:
        return m_document->setSegmentLabel(m_videoId, segment.id, value.toString()).ok();
    case NoteColumn:
        segment.note = value.toString();
        return m_document->updateSegment(m_videoId, segment).ok();
    case StartColumn:
        segment.startFrame = value.toLongLong();
        return m_document->updateSegment(m_videoId, segment).ok();
    case EndColumn:
        segment.endFrame = value.toLongLong();
        return m_document->updateSegment(m_videoId, segment).ok();
    default:
        return false;
    }
}

Qt::ItemFlags SegmentTableModel::flags(const QModelIndex& index) const {
    Qt::ItemFlags flags = QAbstractTableModel::flags(index);
    if (!index.isValid())
        return flags;
    const int column = index.column();
    if (column == LabelColumn || column == NoteColumn || column == StartColumn || column == EndColumn)
        flags |= Qt::ItemIsEditable;
    return flags;
}

QVariant SegmentTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char* const kTitles[] = {"Start", "End",    "Start time", "End time", "Label",
                                          "State", "Source", "Confidence", "Note"};
    return section >= 0 && section < ColumnCount ? tr(kTitles[section]) : QVariant();
}

} // namespace saccade
