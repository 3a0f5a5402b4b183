#include "ui/labels/labelspanel.h"

#include "ui/keys/editkeyguard.h"
#include "ui/labels/topkview.h"

#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPainter>
#include <QVBoxLayout>

namespace saccade {

namespace {

QIcon swatch(const QColor& color) {
    QPixmap pixmap(16, 16);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setPen(color.darker(140));
    painter.setBrush(color);
    painter.drawRoundedRect(QRectF(1.5, 1.5, 13, 13), 3, 3);
    return QIcon(pixmap);
}

} // namespace

LabelsPanel::LabelsPanel(QWidget* parent) : QWidget(parent) {
    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Search labels"));
    m_search->setClearButtonEnabled(true);
    EditKeyGuard::install(m_search);
    m_list = new QListWidget(this);
    m_list->setUniformItemSizes(true);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_list->setTextElideMode(Qt::ElideRight);
    m_list->setToolTip(tr("Double-click a label, or press its number key, to label the selected segment"));
    m_topKCaption = new QLabel(tr("Model prediction"), this);
    QFont bold = m_topKCaption->font();
    bold.setBold(true);
    m_topKCaption->setFont(bold);
    m_topK = new TopKView(this);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(6);
    layout->addWidget(m_search);
    layout->addWidget(m_list, 1);
    layout->addSpacing(4);
    layout->addWidget(m_topKCaption);
    layout->addWidget(m_topK);

    connect(m_search, &QLineEdit::textChanged, this, &LabelsPanel::applyFilter);
    connect(m_list, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* item) { Q_EMIT labelActivated(item->data(Qt::UserRole).toString()); });
    // Enter in the search box applies the only (or first) match, so labeling works without the mouse.
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        const QStringList visible = visibleLabels();
        if (!visible.isEmpty())
            Q_EMIT labelActivated(visible.first());
    });
}

void LabelsPanel::setLabels(const QVector<LabelEntry>& labels) {
    const QString current =
        m_list->currentItem() ? m_list->currentItem()->data(Qt::UserRole).toString() : QString();
    m_list->clear();
    for (const LabelEntry& label : labels) {
        const QString keyText =
            label.key >= 0 ? QStringLiteral("%1  ").arg(label.key) : QStringLiteral("    ");
        auto* item = new QListWidgetItem(swatch(label.color), keyText + label.name, m_list);
        item->setData(Qt::UserRole, label.name);
        item->setToolTip(label.key >= 0 ? tr("%1 (key %2)").arg(label.name).arg(label.key) : label.name);
    }
    if (labels.isEmpty()) {
        auto* item = new QListWidgetItem(tr("No labels yet"), m_list);
        item->setFlags(Qt::NoItemFlags);
    }
    setCurrentLabel(current);
    applyFilter();
}

void LabelsPanel::setCurrentLabel(const QString& name) {
    for (int row = 0; row < m_list->count(); ++row) {
        QListWidgetItem* item = m_list->item(row);
        if (!name.isEmpty() && item->data(Qt::UserRole).toString() == name) {
            m_list->setCurrentItem(item);
            return;
        }
    }
    m_list->setCurrentItem(nullptr);
}

void LabelsPanel::setTopK(const QVector<ClassScore>& scores, const QString& caption) {
    m_topK->setScores(scores);
    m_topKCaption->setText(caption.isEmpty() ? tr("Model prediction") : caption);
}

QStringList LabelsPanel::visibleLabels() const {
    QStringList names;
    for (int row = 0; row < m_list->count(); ++row) {
        const QListWidgetItem* item = m_list->item(row);
        const QString name = item->data(Qt::UserRole).toString();
        if (!item->isHidden() && !name.isEmpty())
            names.append(name);
    }
    return names;
}

void LabelsPanel::applyFilter() {
    const QString needle = m_search->text().trimmed();
    for (int row = 0; row < m_list->count(); ++row) {
        QListWidgetItem* item = m_list->item(row);
        const QString name = item->data(Qt::UserRole).toString();
        item->setHidden(!name.isEmpty() && !name.contains(needle, Qt::CaseInsensitive));
    }
}

const QVector<ClassScore>& LabelsPanel::topK() const {
    return m_topK->scores();
}

} // namespace saccade
