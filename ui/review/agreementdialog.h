#pragma once

#include "core/annotation/agreement.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QTableWidget;

namespace saccade {

/// Review > Agreement: the open project (its accepted and edited segments, and optionally the model's
/// proposals) against a reference chosen by the user (another project, or a truth file of the synthetic
/// generator): frame accuracy, Cohen's kappa overall and per label, segment F1 at IoU 0.10/0.25/0.50,
/// edit score and the median boundary error, as `saccade-cli agreement` prints them.
class AgreementDialog : public QDialog {
    Q_OBJECT
public:
    AgreementDialog(const ProjectData& project, QWidget* parent = nullptr);

    /// Loads `path` as the reference and compares; false (with the reason shown) when it cannot.
    bool compareWith(const QString& path);
    QCheckBox* proposalsCheck() const { return m_includeProposals; }
    /// The value shown for `metric` ("Frame accuracy", "F1@0.50", ...), for tests.
    QString shown(const QString& metric) const;
    /// Per label: kappa, segment F1 and recall at IoU 0.50, and frame counts.
    QTableWidget* labelTable() const { return m_labels; }

private:
    void chooseReference();
    void showReport(const AgreementReport& report);

    ProjectData m_project;
    QString m_referencePath;
    QLineEdit* m_reference = nullptr;
    QCheckBox* m_includeProposals = nullptr;
    QLabel* m_status = nullptr;
    QTableWidget* m_metrics = nullptr;
    QTableWidget* m_labels = nullptr;
};

} // namespace saccade
