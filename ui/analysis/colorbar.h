#pragma once

#include "core/inference/overlayrenderer.h"

#include <QWidget>

namespace saccade {

/// A horizontal colour bar: the colormap from left to right with the value range of the map it
/// colours written at its ends. Dumb: setters only.
class ColorBar : public QWidget {
    Q_OBJECT
public:
    explicit ColorBar(QWidget* parent = nullptr);

    void setColormap(Colormap colormap);
    /// The values at the left and right ends; `valid` false shows "no map".
    void setRange(double low, double high, bool valid = true);
    Colormap colormap() const { return m_colormap; }
    double low() const { return m_low; }
    double high() const { return m_high; }
    bool hasRange() const { return m_valid; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    Colormap m_colormap = Colormap::Viridis;
    double m_low = 0.0;
    double m_high = 0.0;
    bool m_valid = false;
};

/// A short, readable number for attention values (probabilities from 1e-6 to 1).
QString formatAttentionValue(double value);

} // namespace saccade
