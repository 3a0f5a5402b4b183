#include "ui/export/exportdialog.h"

#include "core/export/mediaclipcutting.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>

namespace saccade {

namespace {

constexpr ExportFormat kFormats[] = {ExportFormat::Kinetics,    ExportFormat::SlowFast,
                                     ExportFormat::ActivityNet, ExportFormat::Cvat,
                                     ExportFormat::LabelStudio, ExportFormat::Ava};

QDoubleSpinBox* ratioBox(double value, QWidget* parent) {
    auto* box = new QDoubleSpinBox(parent);
    box->setRange(0.0, 1.0);
    box->setSingleStep(0.05);
    box->setDecimals(2);
    box->setValue(value);
    return box;
}

} // namespace

ExportDialog::ExportDialog(const QString& outputDirectory, QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Export Dataset"));
    m_format = new QComboBox(this);
    for (ExportFormat format : kFormats)
        m_format->addItem(exportFormatName(format), static_cast<int>(format));
    m_folder = new QLineEdit(outputDirectory, this);
    auto* browse = new QPushButton(tr("Browse\u2026"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Export To"), m_folder->text());
        if (!folder.isEmpty())
            m_folder->setText(folder);
    });
    auto* folderRow = new QHBoxLayout;
    folderRow->addWidget(m_folder, 1);
    folderRow->addWidget(browse);
    m_proposals = new QCheckBox(tr("Include unreviewed model proposals"), this);
    m_clips = new QComboBox(this);
    m_clips->addItem(tr("No clips"), static_cast<int>(ClipMode::None));
    m_clips->addItem(tr("Re-encode (frame-exact)"), static_cast<int>(ClipMode::Reencode));
    m_clips->addItem(tr("Stream copy (fast; starts up to a GOP early, may end a frame or two late)"),
                     static_cast<int>(ClipMode::Copy));
    // SlowFast lists point at clips, so that format always cuts them.
    connect(m_format, &QComboBox::currentIndexChanged, this, [this] {
        if (ExportFormat(m_format->currentData().toInt()) == ExportFormat::SlowFast &&
            ClipMode(m_clips->currentData().toInt()) == ClipMode::None)
            m_clips->setCurrentIndex(m_clips->findData(static_cast<int>(ClipMode::Reencode)));
    });
    m_mediaRoot = new QLineEdit(this);
    m_mediaRoot->setPlaceholderText(tr("Folder holding every video"));
    m_mediaRoot->setToolTip(tr("Label Studio's LOCAL_FILES_DOCUMENT_ROOT: videos are given relative to it"));
    m_mediaUrl = new QLineEdit(this);
    m_mediaUrl->setPlaceholderText(tr("Local files (no URL)"));
    m_mediaUrl->setToolTip(tr("A URL serving the media root: videos become URL/path"));
    auto enableMedia = [this] {
        const bool labelStudio = ExportFormat(m_format->currentData().toInt()) == ExportFormat::LabelStudio;
        m_mediaRoot->setEnabled(labelStudio);
        m_mediaUrl->setEnabled(labelStudio);
    };
    connect(m_format, &QComboBox::currentIndexChanged, this, enableMedia);
    enableMedia();
    m_assignSplits = new QCheckBox(tr("Assign train/val/test splits"), this);
    const SplitRatios defaults;
    m_train = ratioBox(defaults.train, this);
    m_val = ratioBox(defaults.val, this);
    m_test = ratioBox(defaults.test, this);
    m_seed = new QSpinBox(this);
    m_seed->setRange(0, 999999);
    auto* ratios = new QHBoxLayout;
    ratios->addWidget(m_train);
    ratios->addWidget(m_val);
    ratios->addWidget(m_test);
    for (QWidget* widget : {static_cast<QWidget*>(m_train), static_cast<QWidget*>(m_val),
                            static_cast<QWidget*>(m_test), static_cast<QWidget*>(m_seed)}) {
        widget->setEnabled(false);
        connect(m_assignSplits, &QCheckBox::toggled, widget, &QWidget::setEnabled);
    }

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Export"));
    connect(buttons, &QDialogButtonBox::accepted, this, &ExportDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ExportDialog::reject);

    auto* form = new QFormLayout(this);
    form->addRow(tr("Format"), m_format);
    form->addRow(tr("Output folder"), folderRow);
    form->addRow(QString(), m_proposals);
    form->addRow(tr("Clips"), m_clips);
    form->addRow(tr("Label Studio media root"), m_mediaRoot);
    form->addRow(tr("Label Studio media URL"), m_mediaUrl);
    form->addRow(QString(), m_assignSplits);
    form->addRow(tr("Train / val / test"), ratios);
    form->addRow(tr("Seed"), m_seed);
    form->addRow(buttons);
}

ExportOptions ExportDialog::options() const {
    ExportOptions options;
    options.format = ExportFormat(m_format->currentData().toInt());
    options.outputDirectory = m_folder->text().trimmed();
    options.includeProposals = m_proposals->isChecked();
    options.clipMode = ClipMode(m_clips->currentData().toInt());
    if (options.clipMode != ClipMode::None)
        options.cutClip = cutClipWithMediaEngine;
    if (options.format == ExportFormat::LabelStudio) {
        options.mediaRoot = m_mediaRoot->text().trimmed();
        options.mediaUrl = m_mediaUrl->text().trimmed();
    }
    return options;
}

std::optional<SplitRatios> ExportDialog::splitRatios() const {
    if (!m_assignSplits->isChecked())
        return std::nullopt;
    SplitRatios ratios;
    ratios.train = m_train->value();
    ratios.val = m_val->value();
    ratios.test = m_test->value();
    return ratios;
}

quint64 ExportDialog::seed() const {
    return static_cast<quint64>(m_seed->value());
}

void ExportDialog::accept() {
    if (m_folder->text().trimmed().isEmpty()) {
        QMessageBox::warning(this, windowTitle(), tr("Choose an output folder."));
        return;
    }
    if (const std::optional<SplitRatios> ratios = splitRatios();
        ratios && ratios->train + ratios->val + ratios->test <= 0.0) {
        QMessageBox::warning(this, windowTitle(), tr("At least one split ratio must be above zero."));
        return;
    }
    if (m_mediaUrl->isEnabled() && !m_mediaUrl->text().trimmed().isEmpty() &&
        m_mediaRoot->text().trimmed().isEmpty()) {
        QMessageBox::warning(this, windowTitle(), tr("A media URL needs the media root it serves."));
        return;
    }
    QDialog::accept();
}

} // namespace saccade
