#include "ui/model/modelpanel.h"

#include "core/inference/temporaldecoder.h"
#include "ui/model/proposalsettingsbox.h"

#include "core/model/cpufeatures.h"
#include "core/training/finetuner.h"

#include <QComboBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QStyle>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace saccade {

namespace {

const char* const kDetailNames[] = {"Format",     "Weights", "Attention", "Depth",  "Input",
                                    "Parameters", "Preset",  "Precision", "Runs on"};

QString parameterText(qint64 count) {
    if (count >= 1000000)
        return QStringLiteral("%1 M").arg(count / 1e6, 0, 'f', 1);
    if (count >= 1000)
        return QStringLiteral("%1 k").arg(count / 1e3, 0, 'f', 1);
    return QString::number(count);
}

QString attentionText(const QString& type) {
    if (type == QLatin1String("divided_space_time"))
        return QObject::tr("divided space-time");
    if (type == QLatin1String("joint_space_time"))
        return QObject::tr("joint space-time");
    if (type == QLatin1String("space_only"))
        return QObject::tr("space only");
    return type;
}

QString percent(double accuracy) {
    return QStringLiteral("%1%").arg(accuracy * 100.0, 0, 'f', 1);
}

} // namespace

ModelPanel::ModelPanel(QWidget* parent) : QWidget(parent) {
    qRegisterMetaType<saccade::FinetuneChoice>();
    m_title = new QLabel(this);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    m_title->setFont(titleFont);
    m_source = new QLabel(this);
    m_source->setWordWrap(true);
    m_source->setForegroundRole(QPalette::PlaceholderText);
    m_source->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_openFile = new QPushButton(tr("Open Checkpoint\u2026"), this);
    m_openFile->setIcon(style()->standardIcon(QStyle::SP_DialogOpenButton));
    m_openFile->setToolTip(tr("A research .pyth/.pth, a .safetensors or a torch state dict"));
    m_openFolder = new QPushButton(tr("Open Folder\u2026"), this);
    m_openFolder->setIcon(style()->standardIcon(QStyle::SP_DirOpenIcon));
    m_openFolder->setToolTip(tr("A Hugging Face model folder (config.json and weights)"));

    m_details = new QWidget(this);
    auto* form = new QFormLayout(m_details);
    form->setContentsMargins(0, 0, 0, 0);
    form->setLabelAlignment(Qt::AlignRight);
    for (const char* name : kDetailNames) {
        auto* label = new QLabel(tr(name), m_details);
        label->setForegroundRole(QPalette::PlaceholderText);
        auto* value = new QLabel(m_details);
        value->setWordWrap(true);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        form->addRow(label, value);
        m_detailValues.insert(QString::fromLatin1(name), value);
    }

    m_labelsBox = new QGroupBox(tr("Classes"), this);
    m_labels = new QListWidget(m_labelsBox);
    m_labels->setSelectionMode(QAbstractItemView::NoSelection);
    m_labels->setFocusPolicy(Qt::NoFocus);
    m_labels->setMinimumHeight(90);
    auto* labelsLayout = new QVBoxLayout(m_labelsBox);
    labelsLayout->setContentsMargins(6, 6, 6, 6);
    labelsLayout->addWidget(m_labels);

    auto* finetuneBox = new QGroupBox(tr("Fine-tune on the project"), this);
    m_finetuneMode = new QComboBox(finetuneBox);
    m_finetuneMode->addItem(tr("Classification head only (fast)"), int(FinetuneChoice::Head));
    m_finetuneMode->addItem(tr("New classes only (the model's own classes stay as they are)"),
                            int(FinetuneChoice::NewClasses));
    m_finetuneMode->addItem(tr("All weights (slow)"), int(FinetuneChoice::AllWeights));
    m_finetuneMode->setToolTip(tr("Head only trains the last layer on features the frozen network computes "
                                  "once per clip: seconds instead of hours on a CPU. New classes only trains "
                                  "just the head rows of labels the model lacks, so what it knew cannot "
                                  "regress."));
    m_epochs = new QSpinBox(finetuneBox);
    m_epochs->setRange(1, 200);
    m_epochs->setValue(5);
    m_finetune = new QPushButton(tr("Fine-tune"), finetuneBox);
    m_finetune->setToolTip(tr("Trains on the accepted and edited segments of the saved project (train and "
                              "unassigned videos) and measures accuracy on its val videos"));
    m_finetuneNote = new QLabel(finetuneBox);
    m_finetuneNote->setWordWrap(true);
    m_finetuneNote->setForegroundRole(QPalette::PlaceholderText);
    m_finetuneResult = new QLabel(finetuneBox);
    m_finetuneResult->setWordWrap(true);
    m_finetuneResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_finetuneResult->hide();
    m_loadFinetuned = new QPushButton(tr("Load Fine-tuned Model"), finetuneBox);
    m_loadFinetuned->hide();
    auto* finetuneForm = new QFormLayout;
    finetuneForm->setContentsMargins(0, 0, 0, 0);
    finetuneForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    finetuneForm->addRow(tr("Train"), m_finetuneMode);
    finetuneForm->addRow(tr("Epochs"), m_epochs);
    auto* finetuneLayout = new QVBoxLayout(finetuneBox);
    finetuneLayout->setContentsMargins(6, 6, 6, 6);
    finetuneLayout->addLayout(finetuneForm);
    finetuneLayout->addWidget(m_finetune);
    finetuneLayout->addWidget(m_finetuneNote);
    finetuneLayout->addWidget(m_finetuneResult);
    finetuneLayout->addWidget(m_loadFinetuned);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_openFile);
    buttons->addWidget(m_openFolder);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_source);
    layout->addLayout(buttons);
    layout->addWidget(m_details);
    layout->addWidget(m_labelsBox, 1);
    m_proposals = new ProposalSettingsBox(this);
    layout->addWidget(m_proposals);
    layout->addWidget(finetuneBox);

    connect(m_openFile, &QPushButton::clicked, this, &ModelPanel::openFileRequested);
    connect(m_openFolder, &QPushButton::clicked, this, &ModelPanel::openFolderRequested);
    connect(m_finetune, &QPushButton::clicked, this, [this] { Q_EMIT finetuneRequested(finetuneChoice()); });
    connect(m_loadFinetuned, &QPushButton::clicked, this,
            [this] { Q_EMIT loadFinetunedRequested(m_finetunedDirectory); });

    m_title->setText(tr("No model"));
    m_source->setText(tr("Open a TimeSformer checkpoint or Hugging Face folder to analyse videos."));
    m_details->hide();
    m_labelsBox->hide();
    updateFinetuneEnabled();
}

void ModelPanel::setDetail(const QString& name, const QString& value, const QString& toolTip) {
    if (QLabel* field = m_detailValues.value(name)) {
        field->setText(value);
        field->setToolTip(toolTip);
    }
}

QString ModelPanel::detail(const QString& name) const {
    const QLabel* field = m_detailValues.value(name);
    return field ? field->text() : QString();
}

void ModelPanel::setLoading(const QString& source) {
    m_hasModel = false;
    m_title->setText(
        tr("Loading %1\u2026")
            .arg(QFileInfo(source).fileName().isEmpty() ? source : QFileInfo(source).fileName()));
    m_source->setText(source);
    m_details->hide();
    m_labelsBox->hide();
    updateFinetuneEnabled();
}

void ModelPanel::setLoadFailed(const QString& text) {
    m_hasModel = false;
    m_title->setText(tr("No model loaded"));
    m_source->setText(text);
    m_details->hide();
    m_labelsBox->hide();
    updateFinetuneEnabled();
}

void ModelPanel::setModel(const ModelSummary& summary) {
    m_hasModel = true;
    const int background = TemporalDecoder::backgroundClassIndex(summary.labels);
    m_proposals->setBackgroundClass(background >= 0 ? summary.labels[background] : QString());
    const QFileInfo info(summary.source);
    m_title->setText(info.fileName().isEmpty() ? summary.source : info.fileName());
    m_source->setText(summary.source);
    m_source->setToolTip(info.absoluteFilePath());
    setDetail(QStringLiteral("Format"), summary.format);
    const QString hash = summary.hash.section(QLatin1Char(':'), 1);
    setDetail(QStringLiteral("Weights"),
              hash.isEmpty() ? tr("not hashed") : QStringLiteral("sha256 %1\u2026").arg(hash.left(12)),
              summary.hash);
    setDetail(QStringLiteral("Attention"), attentionText(summary.attentionType));
    setDetail(QStringLiteral("Depth"), tr("%1 layers \u00d7 %2 heads, width %3")
                                           .arg(summary.layers)
                                           .arg(summary.heads)
                                           .arg(summary.hiddenSize));
    setDetail(QStringLiteral("Input"), tr("%1 frames of %2 px, %3 px patches (%4 \u00d7 %4 per frame)")
                                           .arg(summary.numFrames)
                                           .arg(summary.imageSize)
                                           .arg(summary.patchSize)
                                           .arg(summary.gridSize));
    setDetail(QStringLiteral("Parameters"), parameterText(summary.parameterCount),
              QLocale().toString(summary.parameterCount));
    setDetail(QStringLiteral("Preset"), summary.preset);
    const CpuFeatures cpu = CpuFeatures::detect();
    QString precision = summary.precision.isEmpty() ? QStringLiteral("float32") : summary.precision;
    precision += cpu.hasFastBfloat16() ? tr(" \u00b7 this CPU runs bfloat16 natively")
                                       : tr(" \u00b7 no native bfloat16 on this CPU");
    QString precisionTip = cpu.summary();
    if (!summary.precisionNote.isEmpty())
        precisionTip = summary.precisionNote + QLatin1Char('\n') + precisionTip;
    setDetail(QStringLiteral("Precision"), precision, precisionTip);
    const QString device = summary.device.isEmpty() ? QStringLiteral("CPU") : summary.device.toUpper();
    setDetail(QStringLiteral("Runs on"), summary.threads == 1
                                             ? tr("%1, 1 thread").arg(device)
                                             : tr("%1, %2 threads").arg(device).arg(summary.threads));
    m_details->show();

    m_labels->clear();
    for (int index = 0; index < summary.labels.size(); ++index)
        m_labels->addItem(QStringLiteral("%1  %2").arg(index, 2).arg(summary.labels[index]));
    m_labelsBox->setTitle(tr("Classes (%1)").arg(summary.labels.size()));
    m_labelsBox->setVisible(!summary.labels.isEmpty());
    updateFinetuneEnabled();
}

FinetuneChoice ModelPanel::finetuneChoice() const {
    FinetuneChoice choice;
    const auto mode = static_cast<FinetuneChoice::Mode>(m_finetuneMode->currentData().toInt());
    choice.headOnly = mode != FinetuneChoice::AllWeights;
    choice.onlyNewClasses = mode == FinetuneChoice::NewClasses;
    choice.epochs = m_epochs->value();
    return choice;
}

void ModelPanel::setFinetuneNote(const QString& note) {
    m_note = note;
    updateFinetuneEnabled();
}

void ModelPanel::setFinetuneRunning(bool running) {
    m_finetuning = running;
    if (running) {
        m_finetuneResult->hide();
        m_loadFinetuned->hide();
    }
    updateFinetuneEnabled();
}

void ModelPanel::updateFinetuneEnabled() {
    const QString note = !m_hasModel ? tr("Load a model first.") : m_note;
    m_finetune->setEnabled(m_hasModel && !m_finetuning);
    m_finetuneMode->setEnabled(!m_finetuning);
    m_epochs->setEnabled(!m_finetuning);
    m_finetune->setText(m_finetuning ? tr("Fine-tuning\u2026 (progress in the status bar)")
                                     : tr("Fine-tune"));
    m_finetuneNote->setText(note);
    m_finetuneNote->setVisible(!note.isEmpty() && !m_finetuning);
}

// Before/after recall per class over the val clips; a new class first, since it is what was taught.
QString ModelPanel::classRecallTable(const std::vector<ClassRecall>& recalls) {
    if (recalls.empty())
        return QString();
    std::vector<ClassRecall> ordered = recalls;
    std::stable_partition(ordered.begin(), ordered.end(), [](const ClassRecall& r) { return r.added; });
    QString rows;
    for (const ClassRecall& recall : ordered)
        rows += QStringLiteral("<tr><td>%1%2</td><td align=right>%3</td><td>\u2192</td>"
                               "<td align=right>%4</td><td align=right>%5</td></tr>")
                    .arg(recall.label.toHtmlEscaped(), recall.added ? tr(" (new)") : QString(),
                         percent(recall.before), percent(recall.after))
                    .arg(recall.valClips);
    return QStringLiteral("<table cellspacing=0 cellpadding=1><tr><th align=left>%1</th><th>%2</th><th></th>"
                          "<th>%3</th><th>%4</th></tr>%5</table>")
        .arg(tr("Val recall"), tr("before"), tr("after"), tr("clips"), rows);
}

void ModelPanel::setFinetuneResult(const FinetuneSummary& summary) {
    m_finetunedDirectory = summary.directory;
    QString text = tr("<b>Val accuracy %1 \u2192 %2</b> (%3 val clips, %4 train clips, %5, %6 s)")
                       .arg(percent(summary.valAccuracyBefore), percent(summary.valAccuracyAfter))
                       .arg(summary.valClips)
                       .arg(summary.trainClips)
                       .arg(summary.epochs == 1 ? tr("1 epoch") : tr("%1 epochs").arg(summary.epochs))
                       .arg(summary.seconds, 0, 'f', 0);
    if (!summary.addedClasses.isEmpty())
        text += QStringLiteral("<br>") +
                tr("New classes: %1").arg(summary.addedClasses.join(QStringLiteral(", ")).toHtmlEscaped());
    text += classRecallTable(summary.perClass);
    if (!summary.splitNote.isEmpty())
        text += QStringLiteral("<br>") + summary.splitNote.toHtmlEscaped();
    text += QStringLiteral("<br>") + tr("Saved in %1").arg(summary.directory.toHtmlEscaped());
    m_finetuneResult->setText(text);
    m_finetuneResult->show();
    m_loadFinetuned->show();
}

void ModelPanel::setFinetuneError(const QString& text) {
    m_finetuneResult->setText(text);
    m_finetuneResult->show();
    m_loadFinetuned->hide();
}

} // namespace saccade
