#include "ui/review/agreementdialog.h"

#include "core/annotation/referenceannotation.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace saccade {

namespace {

QTableWidget* table(const QStringList& headers, QWidget* parent) {
    auto* widget = new QTableWidget(0, int(headers.size()), parent);
    widget->setHorizontalHeaderLabels(headers);
    widget->verticalHeader()->hide();
    widget->setEditTriggers(QAbstractItemView::NoEditTriggers);
    widget->horizontalHeader()->setStretchLastSection(true);
    return widget;
}

void addRow(QTableWidget* widget, const QStringList& cells) {
    const int row = widget->rowCount();
    widget->insertRow(row);
    for (int column = 0; column < cells.size(); ++column)
        widget->setItem(row, column, new QTableWidgetItem(cells[column]));
}

} // namespace

AgreementDialog::AgreementDialog(const ProjectData& project, QWidget* parent)
    : QDialog(parent), m_project(project) {
    setWindowTitle(tr("Agreement"));
    m_reference = new QLineEdit(this);
    m_reference->setReadOnly(true);
    m_reference->setPlaceholderText(tr("A project or a truth file to compare with"));
    auto* browse = new QPushButton(tr("Reference\u2026"), this);
    m_includeProposals = new QCheckBox(tr("Count this project's unreviewed proposals"), this);
    m_includeProposals->setChecked(true);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_metrics = table({tr("Metric"), tr("Value")}, this);
    m_labels = table({tr("Label"), tr("Kappa"), tr("F1@0.50"), tr("Recall@0.50"), tr("Frames (reference)"),
                      tr("Frames (this project)")},
                     this);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);

    auto* chooser = new QHBoxLayout;
    chooser->addWidget(m_reference, 1);
    chooser->addWidget(browse);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(chooser);
    layout->addWidget(m_includeProposals);
    layout->addWidget(m_status);
    layout->addWidget(m_metrics, 1);
    layout->addWidget(m_labels, 1);
    layout->addWidget(buttons);
    resize(560, 620);

    connect(browse, &QPushButton::clicked, this, &AgreementDialog::chooseReference);
    connect(m_includeProposals, &QCheckBox::toggled, this, [this] {
        if (!m_referencePath.isEmpty())
            compareWith(m_referencePath);
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

void AgreementDialog::chooseReference() {
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Reference annotation"), QString(),
                                     tr("Projects and truth files (*.saccade *.json);;All files (*)"));
    if (!path.isEmpty())
        compareWith(path);
}

bool AgreementDialog::compareWith(const QString& path) {
    m_referencePath = path;
    m_reference->setText(path);
    m_metrics->setRowCount(0);
    m_labels->setRowCount(0);
    Result<ProjectData> reference = ReferenceAnnotation::load(path);
    if (!reference.ok()) {
        m_status->setText(reference.error().toString());
        return false;
    }
    Result<AgreementReport> report =
        Agreement::compare(*reference, m_project, m_includeProposals->isChecked());
    if (!report.ok()) {
        m_status->setText(report.error().toString());
        return false;
    }
    showReport(report.value());
    return true;
}

void AgreementDialog::showReport(const AgreementReport& report) {
    m_status->setText(
        tr("%n video(s), %1 frames; the reference is the truth.", nullptr, report.videosCompared)
            .arg(report.frames) +
        (report.unmatchedVideos.isEmpty()
             ? QString()
             : tr(" Not in this project: %1.").arg(report.unmatchedVideos.join(QStringLiteral(", ")))));
    addRow(m_metrics, {tr("Frame accuracy"), QString::number(report.frameAccuracy(), 'f', 4)});
    addRow(m_metrics, {tr("Cohen's kappa"), QString::number(report.kappa, 'f', 4)});
    for (size_t k = 0; k < SegmentMetrics::kIouThresholds.size(); ++k) {
        const SegmentMatchCounts& counts = report.segmentMatches[k];
        addRow(m_metrics, {QStringLiteral("F1@%1").arg(SegmentMetrics::kIouThresholds[k], 0, 'f', 2),
                           tr("%1 (%2 hits, %3 spurious, %4 missed)")
                               .arg(counts.f1(), 0, 'f', 4)
                               .arg(counts.truePositives)
                               .arg(counts.falsePositives)
                               .arg(counts.falseNegatives)});
    }
    addRow(m_metrics, {tr("Edit score"), QString::number(report.editScore, 'f', 2)});
    addRow(m_metrics, {tr("Median boundary error"), report.medianBoundaryError < 0
                                                        ? tr("no matched segment")
                                                        : tr("%1 frames (%2 boundaries)")
                                                              .arg(report.medianBoundaryError)
                                                              .arg(report.boundariesMatched)});
    addRow(m_metrics,
           {tr("Segments"), tr("%1 in the reference, %2 here").arg(report.segmentsA).arg(report.segmentsB)});
    for (const LabelAgreement& label : report.perLabel)
        addRow(m_labels, {label.label, QString::number(label.kappa, 'f', 4),
                          QString::number(label.segmentMatches.back().f1(), 'f', 4),
                          QString::number(label.segmentMatches.back().recall(), 'f', 4),
                          QString::number(label.framesA), QString::number(label.framesB)});
    m_metrics->resizeColumnToContents(0);
}

QString AgreementDialog::shown(const QString& metric) const {
    for (int row = 0; row < m_metrics->rowCount(); ++row)
        if (m_metrics->item(row, 0) && m_metrics->item(row, 0)->text() == metric)
            return m_metrics->item(row, 1)->text();
    return QString();
}

} // namespace saccade
