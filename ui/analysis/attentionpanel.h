#pragma once

#include "ui/analysis/attentionexplorer.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QSlider;

namespace saccade {

class ColorBar;

/// The attention overlay's controls: raw attention or rollout, layer (or "last"), head (or all heads
/// fused), head fusion, discard-lowest ratio, colormap and opacity, with a colour bar showing the
/// value range of the map on screen. Dumb: setters plus intent signals.
class AttentionPanel : public QWidget {
    Q_OBJECT
public:
    explicit AttentionPanel(QWidget* parent = nullptr);

    /// Fills the combos for a model of `layers` layers and `heads` heads.
    void setModelShape(int layers, int heads);
    /// Shows a choice without emitting; -1 is "last" layer / "all heads" head.
    void setLayer(int layer);
    void setHead(int head);
    /// Opacity in [0, 1].
    void setOpacity(double opacity);
    /// Shows every choice without emitting.
    void setChoices(const ExplorerChoices& choices);
    /// What the overlay shows now: its title and value range (an empty map shows "no map").
    void setMap(const DisplayedMap& map);

    QComboBox* sourceCombo() const { return m_source; }
    QComboBox* layerCombo() const { return m_layer; }
    QComboBox* headCombo() const { return m_head; }
    QComboBox* fusionCombo() const { return m_fusion; }
    QSlider* discardSlider() const { return m_discard; }
    QComboBox* colormapCombo() const { return m_colormap; }
    QSlider* opacitySlider() const { return m_opacity; }
    ColorBar* colorBar() const { return m_colorBar; }
    QLabel* mapLabel() const { return m_mapLabel; }

Q_SIGNALS:
    void layerRequested(int layer);
    void headRequested(int head);
    void fusionRequested(saccade::HeadFusion fusion);
    void discardRatioRequested(double ratio);
    void sourceRequested(saccade::AttentionSource source);
    void colormapRequested(saccade::Colormap colormap);
    void opacityRequested(double opacity);

private:
    void updateEnabled();

    QComboBox* m_source = nullptr;
    QComboBox* m_layer = nullptr;
    QComboBox* m_head = nullptr;
    QComboBox* m_fusion = nullptr;
    QSlider* m_discard = nullptr;
    QLabel* m_discardValue = nullptr;
    QComboBox* m_colormap = nullptr;
    QSlider* m_opacity = nullptr;
    QLabel* m_opacityValue = nullptr;
    ColorBar* m_colorBar = nullptr;
    QLabel* m_mapLabel = nullptr;
    bool m_hasModel = false;
};

} // namespace saccade
