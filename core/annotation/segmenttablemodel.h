#pragma once

#include <QAbstractTableModel>
#include <QPointer>

namespace saccade {

class ProjectDocument;
struct VideoEntry;

/// The segments of one video as a table, in document order (sort with a proxy). Label and note cells
/// are editable; edits go through the document's undo stack. Does not own the document; lives on its
/// thread.
class SegmentTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        StartColumn,
        EndColumn,
        StartTimeColumn,
        EndTimeColumn,
        LabelColumn,
        StateColumn,
        SourceColumn,
        ConfidenceColumn,
        NoteColumn,
        ColumnCount
    };
    enum Role { SegmentIdRole = Qt::UserRole + 1, StartFrameRole, EndFrameRole, LabelRole, StateRole };

    explicit SegmentTableModel(ProjectDocument* document, QObject* parent = nullptr);

    /// Shows the segments of `videoId` (none when empty or unknown).
    void setVideo(const QString& videoId);
    QString videoId() const { return m_videoId; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    const VideoEntry* video() const;

    QPointer<ProjectDocument> m_document;
    QString m_videoId;
};

} // namespace saccade
