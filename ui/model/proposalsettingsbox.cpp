#include "ui/model/proposalsettingsbox.h"

#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QSignalBlocker>

namespace saccade {

namespace {

QDoubleSpinBox* spin(QWidget* parent, double minimum, double maximum, double step, int decimals,
                     const QString& suffix, const QString& toolTip) {
    auto* box = new QDoubleSpinBox(parent);
    box->setRange(minimum, maximum);
    box->setSingleStep(step);
    box->setDecimals(decimals);
    box->setSuffix(suffix);
    box->setToolTip(toolTip);
    box->setKeyboardTracking(false);
    return box;
}

} // namespace

ProposalSettingsBox::ProposalSettingsBox(QWidget* parent) : QGroupBox(tr("Proposals"), parent) {
    m_background = new QLabel(this);
    m_background->setWordWrap(true);
    m_actionness = spin(this, 0.0, 1.0, 0.05, 2, QString(),
                        tr("Frames whose best class is less probable than this stay unlabelled (models "
                           "without a background class)."));
    m_switchPenalty = spin(this, 0.0, 50.0, 0.5, 1, QString(),
                           tr("How much evidence a change of class must be worth (log-probability): higher "
                              "gives fewer, longer segments; 0 follows every frame."));
    m_minSegment = spin(this, 0.0, 60.0, 0.1, 1, tr(" s"),
                        tr("Shorter segments and gaps are absorbed by their neighbours."));
    auto* form = new QFormLayout(this);
    form->addRow(tr("Background"), m_background);
    form->addRow(tr("Actionness threshold"), m_actionness);
    form->addRow(tr("Smoothing"), m_switchPenalty);
    form->addRow(tr("Shortest segment"), m_minSegment);
    setOptions(LocalizationOptions());
    setBackgroundClass(QString());
    for (QDoubleSpinBox* box : {m_actionness, m_switchPenalty, m_minSegment})
        connect(box, &QDoubleSpinBox::valueChanged, this, [this] { Q_EMIT optionsChanged(options()); });
}

void ProposalSettingsBox::setBackgroundClass(const QString& name) {
    m_background->setText(name.isEmpty() ? tr("none in the model: the actionness threshold decides")
                                         : tr("the model's class \u201c%1\u201d").arg(name));
    m_actionness->setEnabled(name.isEmpty());
}

void ProposalSettingsBox::setOptions(const LocalizationOptions& options) {
    const QSignalBlocker a(m_actionness);
    const QSignalBlocker b(m_switchPenalty);
    const QSignalBlocker c(m_minSegment);
    m_actionness->setValue(options.actionnessThreshold);
    m_switchPenalty->setValue(options.switchPenalty);
    m_minSegment->setValue(options.minSegmentSeconds);
}

LocalizationOptions ProposalSettingsBox::options() const {
    LocalizationOptions options;
    options.actionnessThreshold = m_actionness->value();
    options.switchPenalty = m_switchPenalty->value();
    options.minSegmentSeconds = m_minSegment->value();
    return options;
}

} // namespace saccade
