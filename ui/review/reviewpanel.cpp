#include "ui/review/reviewpanel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QStyle>
#include <QVBoxLayout>

namespace saccade {

ReviewPanel::ReviewPanel(QWidget* parent) : QWidget(parent) {
    m_criterion = new QComboBox(this);
    m_criterion->addItem(tr("Low confidence: top-1 \u2212 top-2 margin"), int(ReviewCriterion::LowMargin));
    m_criterion->addItem(tr("Low confidence: entropy"), int(ReviewCriterion::HighEntropy));
    m_criterion->addItem(tr("Model disagrees with accepted labels"), int(ReviewCriterion::Disagreement));
    m_criterion->setToolTip(tr("Which analysed windows N and Shift+N stop at"));
    m_threshold = new QDoubleSpinBox(this);
    m_threshold->setDecimals(2);
    m_threshold->setSingleStep(0.05);
    m_thresholdLabel = new QLabel(this);

    m_previous = new QPushButton(tr("Previous"), this);
    m_previous->setIcon(style()->standardIcon(QStyle::SP_ArrowBack));
    m_next = new QPushButton(tr("Next"), this);
    m_next->setIcon(style()->standardIcon(QStyle::SP_ArrowForward));
    m_next->setDefault(true);
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_summary->setForegroundRole(QPalette::PlaceholderText);
    m_reason = new QLabel(this);
    m_reason->setWordWrap(true);
    m_reason->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_reason->setFrameShape(QFrame::StyledPanel);
    m_reason->setMargin(6);
    m_reason->setBackgroundRole(QPalette::AlternateBase);
    m_reason->setAutoFillBackground(true);
    m_reason->hide();

    auto* form = new QFormLayout;
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Stop at"), m_criterion);
    form->addRow(m_thresholdLabel, m_threshold);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_previous);
    buttons->addWidget(m_next);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(m_summary);
    layout->addWidget(m_reason);
    layout->addStretch(1);

    updateThresholdRange();
    connect(m_criterion, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
        updateThresholdRange();
        Q_EMIT optionsChanged(options());
    });
    connect(m_threshold, qOverload<double>(&QDoubleSpinBox::valueChanged), this, [this](double value) {
        if (options().criterion == ReviewCriterion::HighEntropy)
            m_entropyThreshold = value;
        else if (options().criterion == ReviewCriterion::LowMargin)
            m_marginThreshold = value;
        Q_EMIT optionsChanged(options());
    });
    connect(m_previous, &QPushButton::clicked, this, &ReviewPanel::previousRequested);
    connect(m_next, &QPushButton::clicked, this, &ReviewPanel::nextRequested);
}

ReviewOptions ReviewPanel::options() const {
    ReviewOptions options;
    options.criterion = static_cast<ReviewCriterion>(m_criterion->currentData().toInt());
    options.threshold =
        options.criterion == ReviewCriterion::HighEntropy ? m_entropyThreshold : m_marginThreshold;
    return options;
}

void ReviewPanel::setOptions(const ReviewOptions& options) {
    if (options.criterion == ReviewCriterion::HighEntropy)
        m_entropyThreshold = options.threshold;
    else if (options.criterion == ReviewCriterion::LowMargin)
        m_marginThreshold = options.threshold;
    const QSignalBlocker blocker(m_criterion);
    m_criterion->setCurrentIndex(m_criterion->findData(int(options.criterion)));
    updateThresholdRange();
}

void ReviewPanel::updateThresholdRange() {
    const QSignalBlocker blocker(m_threshold);
    switch (options().criterion) {
    case ReviewCriterion::LowMargin:
        m_thresholdLabel->setText(tr("Margin below"));
        m_threshold->setToolTip(tr("Stop where the two most probable classes are closer than this"));
        m_threshold->setRange(0.01, 1.0);
        m_threshold->setValue(m_marginThreshold);
        m_threshold->setEnabled(true);
        break;
    case ReviewCriterion::HighEntropy:
        m_thresholdLabel->setText(tr("Entropy above"));
        m_threshold->setToolTip(tr("Stop where the class probabilities are this spread out (0: one class "
                                   "certain, 1: all classes equally likely)"));
        m_threshold->setRange(0.0, 0.99);
        m_threshold->setValue(m_entropyThreshold);
        m_threshold->setEnabled(true);
        break;
    case ReviewCriterion::Disagreement:
        m_thresholdLabel->setText(tr("Threshold"));
        m_threshold->setToolTip(tr("Disagreements have no threshold: the model's top class is compared with "
                                   "the accepted and edited segments at the window's centre"));
        m_threshold->setEnabled(false);
        break;
    }
}

void ReviewPanel::setSummary(const QString& text) {
    m_summary->setText(text);
}

void ReviewPanel::setReason(const QString& text) {
    m_reason->setText(text);
    m_reason->setVisible(!text.isEmpty());
}

QString ReviewPanel::reason() const {
    return m_reason->text();
}

void ReviewPanel::setShortcutTexts(const QString& previous, const QString& next) {
    m_previous->setText(previous.isEmpty() ? tr("Previous") : tr("Previous (%1)").arg(previous));
    m_next->setText(next.isEmpty() ? tr("Next") : tr("Next (%1)").arg(next));
}

} // namespace saccade
