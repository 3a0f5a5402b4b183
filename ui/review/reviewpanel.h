#pragma once

#include "core/inference/reviewqueue.h"

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;

namespace saccade {

/// The review queue's controls: what to look for (low margin, high entropy, disagreement with the
/// accepted labels) and its threshold, previous / next buttons, how many windows qualify and why the
/// playhead stopped where it is. Dumb: setters plus intent signals.
class ReviewPanel : public QWidget {
    Q_OBJECT
public:
    explicit ReviewPanel(QWidget* parent = nullptr);

    ReviewOptions options() const;
    void setOptions(const ReviewOptions& options);
    /// "3 of 42 analysed windows", or why there is nothing to review.
    void setSummary(const QString& text);
    /// Why the playhead stopped here; empty clears it.
    void setReason(const QString& text);
    QString reason() const;
    /// Shows the keys bound to previous / next on the buttons.
    void setShortcutTexts(const QString& previous, const QString& next);

    QComboBox* criterionCombo() const { return m_criterion; }
    QDoubleSpinBox* thresholdSpin() const { return m_threshold; }
    QPushButton* previousButton() const { return m_previous; }
    QPushButton* nextButton() const { return m_next; }
    QLabel* summaryLabel() const { return m_summary; }

Q_SIGNALS:
    void optionsChanged(const saccade::ReviewOptions& options);
    void previousRequested();
    void nextRequested();

private:
    void updateThresholdRange();

    QComboBox* m_criterion = nullptr;
    QLabel* m_thresholdLabel = nullptr;
    QDoubleSpinBox* m_threshold = nullptr;
    QPushButton* m_previous = nullptr;
    QPushButton* m_next = nullptr;
    QLabel* m_summary = nullptr;
    QLabel* m_reason = nullptr;
    /// Thresholds kept per criterion, so switching back restores the user's value.
    double m_marginThreshold = 0.2;
    double m_entropyThreshold = 0.8;
};

} // namespace saccade
