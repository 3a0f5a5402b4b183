#include "ui/analysis/attentionpanel.h"

#include <QComboBox>
#include <QFormLayout>
#include <QSignalBlocker>
#include <QSlider>

#include <cmath>

namespace saccade {

AttentionPanel::AttentionPanel(QWidget* parent) : QWidget(parent) {
    m_layer = new QComboBox(this);
    m_head = new QComboBox(this);
    m_opacity = new QSlider(Qt::Horizontal, this);
    m_opacity->setRange(0, 100);
    m_layer->setToolTip(tr("Layer whose attention is drawn (PgUp/PgDn)"));
    m_head->setToolTip(tr("Attention head, or the mean of all heads (Ctrl+PgUp/Ctrl+PgDn)"));
    m_opacity->setToolTip(tr("Overlay opacity"));
    auto* layout = new QFormLayout(this);
    layout->addRow(tr("Layer"), m_layer);
    layout->addRow(tr("Head"), m_head);
    layout->addRow(tr("Opacity"), m_opacity);
    setModelShape(0, 0);

    connect(m_layer, &QComboBox::activated, this,
            [this](int index) { Q_EMIT layerRequested(m_layer->itemData(index).toInt()); });
    connect(m_head, &QComboBox::activated, this,
            [this](int index) { Q_EMIT headRequested(m_head->itemData(index).toInt()); });
    connect(m_opacity, &QSlider::valueChanged, this,
            [this](int value) { Q_EMIT opacityRequested(value / 100.0); });
}

void AttentionPanel::setModelShape(int layers, int heads) {
    const QSignalBlocker layerBlocker(m_layer);
    const QSignalBlocker headBlocker(m_head);
    m_layer->clear();
    m_layer->addItem(tr("Last"), -1);
    for (int layer = 0; layer < layers; ++layer)
        m_layer->addItem(tr("Layer %1").arg(layer + 1), layer);
    m_head->clear();
    m_head->addItem(tr("Mean of heads"), -1);
    for (int head = 0; head < heads; ++head)
        m_head->addItem(tr("Head %1").arg(head + 1), head);
    setEnabled(layers > 0);
}

void AttentionPanel::setLayer(int layer) {
    const QSignalBlocker blocker(m_layer);
    m_layer->setCurrentIndex(std::max(0, m_layer->findData(layer)));
}

void AttentionPanel::setHead(int head) {
    const QSignalBlocker blocker(m_head);
    m_head->setCurrentIndex(std::max(0, m_head->findData(head)));
}

void AttentionPanel::setOpacity(double opacity) {
    const QSignalBlocker blocker(m_opacity);
    m_opacity->setValue(static_cast<int>(std::lround(opacity * 100.0)));
}

} // namespace saccade
