#pragma once

#include "core/inference/faithfulness.h"

#include <QWidget>

class QComboBox;
class QCustomPlot;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace saccade {

/// Which map ranks the patches the faithfulness check masks.
enum class FaithfulnessMap { Shown = 1, Rollout };

/// What the user asked the check to do.
struct FaithfulnessSettings {
    FaithfulnessMap map = FaithfulnessMap::Shown;
    FaithfulnessOptions options;
};

/// The faithfulness check's controls and result: the map to rank patches by, the share masked and the
/// number of random masks, Run / Cancel with progress, then the top class's score unmasked, with the
/// most-attended patches masked and with random masks of the same size (mean and spread) as bars, and
/// one sentence saying what it means. Dumb: setters plus intent signals.
class FaithfulnessPanel : public QWidget {
    Q_OBJECT
public:
    explicit FaithfulnessPanel(QWidget* parent = nullptr);

    FaithfulnessSettings settings() const;
    void setSettings(const FaithfulnessSettings& settings);
    /// What the check would run on ("Window 4 · frames 120–179 · grow"), or why it cannot run.
    void setTarget(const QString& text, bool runnable);
    void setRunning(bool running);
    bool isRunning() const { return m_running; }
    void setProgress(double fraction, const QString& stage);
    /// Shows `result` for class `className` of the window described by `window`.
    void setResult(const FaithfulnessResult& result, const QString& className, const QString& window);
    void setError(const QString& text);
    void clearResult();
    /// The sentence under the bars (for tests).
    QString resultText() const;

    QComboBox* mapCombo() const { return m_map; }
    QSpinBox* shareSpin() const { return m_share; }
    QSpinBox* drawsSpin() const { return m_draws; }
    QPushButton* runButton() const { return m_run; }
    QPushButton* cancelButton() const { return m_cancel; }
    QCustomPlot* plot() const { return m_plot; }

Q_SIGNALS:
    void runRequested(const saccade::FaithfulnessSettings& settings);
    void cancelRequested();

protected:
    void changeEvent(QEvent* event) override;

private:
    void styleFromPalette();

    QComboBox* m_map = nullptr;
    QSpinBox* m_share = nullptr;
    QSpinBox* m_draws = nullptr;
    QLabel* m_target = nullptr;
    QPushButton* m_run = nullptr;
    QPushButton* m_cancel = nullptr;
    QProgressBar* m_progress = nullptr;
    QCustomPlot* m_plot = nullptr;
    QLabel* m_result = nullptr;
    bool m_running = false;
    bool m_runnable = false;
};

} // namespace saccade

Q_DECLARE_METATYPE(saccade::FaithfulnessSettings)
