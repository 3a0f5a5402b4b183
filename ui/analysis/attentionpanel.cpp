#include "ui/analysis/attentionpanel.h"

#include "ui/analysis/colorbar.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>

#include <cmath>

namespace saccade {

namespace {

// The discard slider moves in steps of 5%, up to 95%.
constexpr int kDiscardSteps = 19;

QWidget* withValue(QSlider* slider, QLabel* value, QWidget* parent) {
    auto* holder = new QWidget(parent);
    auto* layout = new QHBoxLayout(holder);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(slider, 1);
    value->setMinimumWidth(value->fontMetrics().horizontalAdvance(QStringLiteral("100%")) + 4);
    value->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    layout->addWidget(value);
    return holder;
}

} // namespace

AttentionPanel::AttentionPanel(QWidget* parent) : QWidget(parent) {
    m_source = new QComboBox(this);
    m_source->addItem(tr("Raw attention"), int(AttentionSource::Raw));
    m_source->addItem(tr("Rollout (all layers)"), int(AttentionSource::Rollout));
    m_source->setToolTip(tr("Raw: the cls token's attention in one layer. Rollout: attention propagated "
                            "through every layer (Abnar & Zuidema)"));
    m_layer = new QComboBox(this);
    m_layer->setToolTip(tr("Layer whose attention is drawn (PgUp/PgDn)"));
    m_head = new QComboBox(this);
    m_head->setToolTip(tr("Attention head, or all heads fused (Ctrl+PgUp/Ctrl+PgDn)"));
    m_fusion = new QComboBox(this);
    m_fusion->addItem(tr("Mean"), int(HeadFusion::Mean));
    m_fusion->addItem(tr("Max"), int(HeadFusion::Max));
    m_fusion->addItem(tr("Min"), int(HeadFusion::Min));
    m_fusion->setToolTip(tr("How all heads are combined into one map"));
    m_discard = new QSlider(Qt::Horizontal, this);
    m_discard->setRange(0, kDiscardSteps);
    m_discard->setPageStep(2);
    m_discard->setToolTip(tr("Share of the lowest attention values set to zero (for the rollout: in "
                             "every layer before it is propagated)"));
    m_discardValue = new QLabel(this);
    m_colormap = new QComboBox(this);
    for (Colormap colormap : {Colormap::Viridis, Colormap::Inferno, Colormap::Jet, Colormap::Grey})
        m_colormap->addItem(colormapName(colormap), int(colormap));
    m_opacity = new QSlider(Qt::Horizontal, this);
    m_opacity->setRange(0, 100);
    m_opacity->setToolTip(tr("Overlay opacity (V hides the overlay)"));
    m_opacityValue = new QLabel(this);
    m_colorBar = new ColorBar(this);
    m_mapLabel = new QLabel(this);
    m_mapLabel->setWordWrap(true);
    m_mapLabel->setForegroundRole(QPalette::PlaceholderText);

    auto* layout = new QFormLayout(this);
    layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    layout->addRow(tr("Show"), m_source);
    layout->addRow(tr("Layer"), m_layer);
    layout->addRow(tr("Head"), m_head);
    layout->addRow(tr("Fusion"), m_fusion);
    layout->addRow(tr("Discard"), withValue(m_discard, m_discardValue, this));
    layout->addRow(tr("Colours"), m_colormap);
    layout->addRow(tr("Opacity"), withValue(m_opacity, m_opacityValue, this));
    layout->addRow(m_colorBar);
    layout->addRow(m_mapLabel);
    setModelShape(0, 0);
    setChoices({});
    setMap({});

    connect(m_source, &QComboBox::activated, this, [this](int index) {
        updateEnabled();
        Q_EMIT sourceRequested(static_cast<AttentionSource>(m_source->itemData(index).toInt()));
    });
    connect(m_layer, &QComboBox::activated, this,
            [this](int index) { Q_EMIT layerRequested(m_layer->itemData(index).toInt()); });
    connect(m_head, &QComboBox::activated, this, [this](int index) {
        updateEnabled();
        Q_EMIT headRequested(m_head->itemData(index).toInt());
    });
    connect(m_fusion, &QComboBox::activated, this, [this](int index) {
        Q_EMIT fusionRequested(static_cast<HeadFusion>(m_fusion->itemData(index).toInt()));
    });
    connect(m_discard, &QSlider::valueChanged, this, [this](int value) {
        m_discardValue->setText(QStringLiteral("%1%").arg(value * 5));
        Q_EMIT discardRatioRequested(value * 0.05);
    });
    connect(m_colormap, &QComboBox::activated, this, [this](int index) {
        const auto colormap = static_cast<Colormap>(m_colormap->itemData(index).toInt());
        m_colorBar->setColormap(colormap);
        Q_EMIT colormapRequested(colormap);
    });
    connect(m_opacity, &QSlider::valueChanged, this, [this](int value) {
        m_opacityValue->setText(QStringLiteral("%1%").arg(value));
        Q_EMIT opacityRequested(value / 100.0);
    });
}

void AttentionPanel::setModelShape(int layers, int heads) {
    const QSignalBlocker layerBlocker(m_layer);
    const QSignalBlocker headBlocker(m_head);
    const int layer = m_layer->currentData().isValid() ? m_layer->currentData().toInt() : -1;
    const int head = m_head->currentData().isValid() ? m_head->currentData().toInt() : -1;
    m_layer->clear();
    m_layer->addItem(layers > 0 ? tr("Last (%1)").arg(layers) : tr("Last"), -1);
    for (int index = 0; index < layers; ++index)
        m_layer->addItem(tr("Layer %1").arg(index + 1), index);
    m_head->clear();
    m_head->addItem(tr("All heads, fused"), -1);
    for (int index = 0; index < heads; ++index)
        m_head->addItem(tr("Head %1").arg(index + 1), index);
    m_hasModel = layers > 0;
    setLayer(layer);
    setHead(head);
    updateEnabled();
}

void AttentionPanel::setLayer(int layer) {
    const QSignalBlocker blocker(m_layer);
    m_layer->setCurrentIndex(std::max(0, m_layer->findData(layer)));
}

void AttentionPanel::setHead(int head) {
    const QSignalBlocker blocker(m_head);
    m_head->setCurrentIndex(std::max(0, m_head->findData(head)));
    updateEnabled();
}

void AttentionPanel::setOpacity(double opacity) {
    const QSignalBlocker blocker(m_opacity);
    const int percent = static_cast<int>(std::lround(opacity * 100.0));
    m_opacity->setValue(percent);
    m_opacityValue->setText(QStringLiteral("%1%").arg(percent));
}

void AttentionPanel::setChoices(const ExplorerChoices& choices) {
    {
        const QSignalBlocker source(m_source);
        const QSignalBlocker fusion(m_fusion);
        const QSignalBlocker discard(m_discard);
        const QSignalBlocker colormap(m_colormap);
        m_source->setCurrentIndex(std::max(0, m_source->findData(int(choices.source))));
        m_fusion->setCurrentIndex(std::max(0, m_fusion->findData(int(choices.fusion))));
        const int steps = static_cast<int>(std::lround(choices.discardRatio * 20.0));
        m_discard->setValue(steps);
        m_discardValue->setText(QStringLiteral("%1%").arg(steps * 5));
        m_colormap->setCurrentIndex(std::max(0, m_colormap->findData(int(choices.colormap))));
        m_colorBar->setColormap(choices.colormap);
    }
    setLayer(choices.layer);
    setHead(choices.head);
}

void AttentionPanel::setMap(const DisplayedMap& map) {
    m_colorBar->setRange(map.low, map.high, !map.isEmpty());
    if (map.isEmpty()) {
        m_mapLabel->setText(m_hasModel ? tr("No attention for this frame yet.") : tr("No model loaded."));
        return;
    }
    QString text = map.title;
    if (map.pending)
        text += tr(" \u2014 computing\u2026");
    m_mapLabel->setText(text);
}

void AttentionPanel::updateEnabled() {
    const bool rollout = m_source->currentData().toInt() == int(AttentionSource::Rollout);
    // The rollout spans every layer and fuses every head; a single head is never fused.
    m_layer->setEnabled(m_hasModel && !rollout);
    m_head->setEnabled(m_hasModel && !rollout);
    m_fusion->setEnabled(m_hasModel && (rollout || m_head->currentData().toInt() < 0));
    m_source->setEnabled(m_hasModel);
    m_discard->setEnabled(m_hasModel);
}

} // namespace saccade
