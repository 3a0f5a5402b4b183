#pragma once

#include <QAbstractTableModel>
#include <QPointer>

namespace saccade {

class ProjectDocument;

/// The project's videos as a table (id, file, frames, fps, split, segments, status). A thin view over
/// the document, which it does not own; lives on the document's thread.
class VideoListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        IdColumn,
        FileColumn,
        FramesColumn,
        FpsColumn,
        SplitColumn,
        SegmentsColumn,
        StatusColumn,
        ColumnCount
    };
    enum Role { VideoIdRole = Qt::UserRole + 1, MissingRole };

    explicit VideoListModel(ProjectDocument* document, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QPointer<ProjectDocument> m_document;
};

} // namespace saccade
