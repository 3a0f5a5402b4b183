#pragma once

#include "core/inference/actionlocalizer.h"

#include <QGroupBox>

class QDoubleSpinBox;
class QLabel;

namespace saccade {

/// How the model's window scores become proposals: the background (the model's own class, or an
/// actionness threshold for models without one), the smoothing and the shortest segment. Dumb: it
/// shows options and says when the user changed them.
class ProposalSettingsBox : public QGroupBox {
    Q_OBJECT
public:
    explicit ProposalSettingsBox(QWidget* parent = nullptr);

    /// Names the model's background class, or (empty) says it has none so the threshold applies.
    void setBackgroundClass(const QString& name);
    void setOptions(const LocalizationOptions& options);
    LocalizationOptions options() const;

    QDoubleSpinBox* actionnessSpin() const { return m_actionness; }
    QDoubleSpinBox* switchPenaltySpin() const { return m_switchPenalty; }
    QDoubleSpinBox* minSegmentSpin() const { return m_minSegment; }

Q_SIGNALS:
    void optionsChanged(const saccade::LocalizationOptions& options);

private:
    QLabel* m_background = nullptr;
    QDoubleSpinBox* m_actionness = nullptr;
    QDoubleSpinBox* m_switchPenalty = nullptr;
    QDoubleSpinBox* m_minSegment = nullptr;
};

} // namespace saccade
