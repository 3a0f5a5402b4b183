#pragma once

#include <QWidget>

class QComboBox;
class QSlider;

namespace saccade {

/// Small controls for the attention overlay: layer (or "last"), head (or "mean of heads") and the
/// overlay's opacity. Dumb: setters plus intent signals.
class AttentionPanel : public QWidget {
    Q_OBJECT
public:
    explicit AttentionPanel(QWidget* parent = nullptr);

    /// Fills the combos for a model of `layers` layers and `heads` heads.
    void setModelShape(int layers, int heads);
    /// Shows a choice without emitting; -1 is "last" layer / "mean" head.
    void setLayer(int layer);
    void setHead(int head);
    /// Opacity in [0, 1].
    void setOpacity(double opacity);

    QComboBox* layerCombo() const { return m_layer; }
    QComboBox* headCombo() const { return m_head; }
    QSlider* opacitySlider() const { return m_opacity; }

Q_SIGNALS:
    void layerRequested(int layer);
    void headRequested(int head);
    void opacityRequested(double opacity);

private:
    QComboBox* m_layer = nullptr;
    QComboBox* m_head = nullptr;
    QSlider* m_opacity = nullptr;
};

} // namespace saccade
