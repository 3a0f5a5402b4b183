#pragma once

#include <QAbstractListModel>
#include <QPointer>

namespace saccade {

class ProjectDocument;

/// The project's labels in class order. Display is the name; ColorRole and KeyRole give the colour and
/// number key (ui delegates draw them). Renaming through setData() carries the segments along (undoable).
/// Does not own the document; lives on its thread.
class LabelListModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { ColorRole = Qt::UserRole + 1, KeyRole, UsageRole };

    explicit LabelListModel(ProjectDocument* document, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

private:
    QPointer<ProjectDocument> m_document;
};

} // namespace saccade
