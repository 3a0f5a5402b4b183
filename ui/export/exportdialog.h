#pragma once

#include "core/annotation/splitassigner.h"
#include "core/export/exportoptions.h"

#include <QDialog>

#include <optional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace saccade {

/// File > Export: format, output folder, proposals, clip cutting, Label Studio's media root and URL
/// (enabled for that format), and an optional train/val/test assignment with its seed. Validates before
/// it accepts.
class ExportDialog : public QDialog {
    Q_OBJECT
public:
    explicit ExportDialog(const QString& outputDirectory, QWidget* parent = nullptr);

    /// The chosen options; clips are cut with the media engine.
    ExportOptions options() const;
    /// The split ratios when the user asked to assign splits.
    std::optional<SplitRatios> splitRatios() const;
    quint64 seed() const;

    QComboBox* formatCombo() const { return m_format; }
    QLineEdit* folderEdit() const { return m_folder; }
    QCheckBox* proposalsCheck() const { return m_proposals; }
    QComboBox* clipCombo() const { return m_clips; }
    QCheckBox* splitCheck() const { return m_assignSplits; }
    QLineEdit* mediaRootEdit() const { return m_mediaRoot; }
    QLineEdit* mediaUrlEdit() const { return m_mediaUrl; }

    void accept() override;

private:
    QComboBox* m_format = nullptr;
    QLineEdit* m_folder = nullptr;
    QCheckBox* m_proposals = nullptr;
    QComboBox* m_clips = nullptr;
    QLineEdit* m_mediaRoot = nullptr;
    QLineEdit* m_mediaUrl = nullptr;
    QCheckBox* m_assignSplits = nullptr;
    QDoubleSpinBox* m_train = nullptr;
    QDoubleSpinBox* m_val = nullptr;
    QDoubleSpinBox* m_test = nullptr;
    QSpinBox* m_seed = nullptr;
};

} // namespace saccade
