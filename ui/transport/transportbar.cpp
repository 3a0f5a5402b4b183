#include "ui/transport/transportbar.h"

#include "ui/keys/editkeyguard.h"
#include "ui/transport/timecodeedit.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QSpinBox>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace saccade {

namespace {

QToolButton* makeButton(QWidget* parent, QStyle::StandardPixmap icon, const QString& toolTip) {
    auto* button = new QToolButton(parent);
    button->setIcon(parent->style()->standardIcon(icon));
    button->setToolTip(toolTip);
    button->setAutoRaise(true);
    button->setIconSize(QSize(20, 20));
    // Keys belong to the window's shortcuts; a focused button would swallow Space.
    button->setFocusPolicy(Qt::NoFocus);
    return button;
}

QString speedText(double speed) {
    return QStringLiteral("%1\u00d7").arg(QString::number(speed, 'g', 4));
}

} // namespace

const QVector<double>& TransportBar::speedSteps() {
    static const QVector<double> steps = {0.0625, 0.125, 0.25, 0.5, 0.75, 1.0,
                                          1.25,   1.5,   2.0,  4.0, 8.0,  16.0};
    return steps;
}

TransportBar::TransportBar(QWidget* parent) : QWidget(parent) {
    m_scrubber = new QSlider(Qt::Horizontal, this);
    m_scrubber->setFocusPolicy(Qt::NoFocus);
    m_scrubber->setToolTip(tr("Drag to scrub; lands on exact frames"));

    m_startButton = makeButton(this, QStyle::SP_MediaSkipBackward, tr("Go to start (Home)"));
    m_previousButton = makeButton(this, QStyle::SP_MediaSeekBackward, tr("Previous frame (, or Left)"));
    m_playButton = makeButton(this, QStyle::SP_MediaPlay, tr("Play (Space)"));
    m_playButton->setIconSize(QSize(26, 26));
    m_nextButton = makeButton(this, QStyle::SP_MediaSeekForward, tr("Next frame (. or Right)"));
    m_endButton = makeButton(this, QStyle::SP_MediaSkipForward, tr("Go to end (End)"));

    m_frameField = new QSpinBox(this);
    m_frameField->setRange(0, 0);
    m_frameField->setAccelerated(true);
    m_frameField->setKeyboardTracking(false);
    m_frameField->setButtonSymbols(QAbstractSpinBox::NoButtons);
    m_frameField->setAlignment(Qt::AlignRight);
    m_frameField->setToolTip(tr("Frame number (from 0); type a number and press Enter to go there"));
    m_frameField->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("00000000")) + 12);
    EditKeyGuard::install(m_frameField);
    auto* frameLabel = new QLabel(tr("Frame"), this);
    frameLabel->setBuddy(m_frameField);

    m_timecode = new TimecodeEdit(this);
    m_durationLabel = new QLabel(this);
    m_durationLabel->setForegroundRole(QPalette::PlaceholderText);

    m_speedBox = new QComboBox(this);
    m_speedBox->setFocusPolicy(Qt::NoFocus);
    m_speedBox->setToolTip(tr("Playback speed ([ slower, ] faster, Backspace normal)"));
    for (double speed : speedSteps())
        m_speedBox->addItem(speedText(speed), speed);
    m_speedBox->setCurrentIndex(int(speedSteps().indexOf(1.0)));

    auto* controls = new QHBoxLayout;
    controls->setSpacing(2);
    controls->addWidget(m_startButton);
    controls->addWidget(m_previousButton);
    controls->addWidget(m_playButton);
    controls->addWidget(m_nextButton);
    controls->addWidget(m_endButton);
    controls->addSpacing(12);
    controls->addWidget(frameLabel);
    controls->addSpacing(4);
    controls->addWidget(m_frameField);
    controls->addSpacing(12);
    controls->addWidget(m_timecode);
    controls->addSpacing(4);
    controls->addWidget(m_durationLabel);
    controls->addStretch(1);
    controls->addWidget(new QLabel(tr("Speed"), this));
    controls->addSpacing(4);
    controls->addWidget(m_speedBox);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);
    layout->setSpacing(2);
    layout->addWidget(m_scrubber);
    layout->addLayout(controls);

    connect(m_playButton, &QToolButton::clicked, this, &TransportBar::playPauseRequested);
    connect(m_previousButton, &QToolButton::clicked, this, [this] { Q_EMIT stepRequested(-1); });
    connect(m_nextButton, &QToolButton::clicked, this, [this] { Q_EMIT stepRequested(1); });
    connect(m_startButton, &QToolButton::clicked, this, [this] { requestSeek(0); });
    connect(m_endButton, &QToolButton::clicked, this, [this] { requestSeek(m_frameCount - 1); });
    connect(m_scrubber, &QSlider::valueChanged, this, [this](int value) {
        if (!m_updating)
            requestSeek(value);
    });
    connect(m_frameField, qOverload<int>(&QSpinBox::valueChanged), this, [this](int value) {
        if (!m_updating)
            requestSeek(value);
    });
    connect(m_timecode, &TimecodeEdit::frameRequested, this, &TransportBar::requestSeek);
    connect(m_speedBox, qOverload<int>(&QComboBox::activated), this,
            [this](int index) { Q_EMIT speedRequested(m_speedBox->itemData(index).toDouble()); });

    setFrameCount(0);
}

void TransportBar::setFrameRate(FrameRate rate) {
    m_rate = rate;
    m_timecode->setFrameRate(rate);
    if (rate.isValid())
        m_scrubber->setPageStep(std::max(1, int(std::lround(rate.framesPerSecond()))));
    updateDurationLabel();
}

void TransportBar::setFrameCount(qint64 frameCount) {
    m_frameCount = std::max<qint64>(0, frameCount);
    const int last =
        int(std::min<qint64>(std::max<qint64>(0, m_frameCount - 1), std::numeric_limits<int>::max()));
    m_updating = true;
    m_scrubber->setRange(0, last);
    m_frameField->setRange(0, last);
    m_updating = false;
    const bool enabled = m_frameCount > 0;
    for (QWidget* widget :
         std::initializer_list<QWidget*>{m_startButton, m_previousButton, m_playButton, m_nextButton,
                                         m_endButton, m_scrubber, m_frameField, m_timecode, m_speedBox})
        widget->setEnabled(enabled);
    updateDurationLabel();
}

void TransportBar::setCurrentFrame(qint64 frame) {
    m_frame = frame;
    m_updating = true;
    if (!m_scrubber->isSliderDown())
        m_scrubber->setValue(int(frame));
    if (!m_frameField->hasFocus())
        m_frameField->setValue(int(frame));
    m_updating = false;
    m_timecode->setFrame(frame);
}

void TransportBar::setPlaying(bool playing) {
    m_playing = playing;
    m_playButton->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    m_playButton->setToolTip(playing ? tr("Pause (Space)") : tr("Play (Space)"));
}

void TransportBar::setSpeed(double rate) {
    const double speed = std::abs(rate);
    int index = m_speedBox->findData(speed);
    if (index < 0) {
        m_speedBox->addItem(speedText(speed), speed);
        index = m_speedBox->count() - 1;
    }
    m_speedBox->setCurrentIndex(index);
}

void TransportBar::requestSeek(qint64 frame) {
    if (m_frameCount <= 0)
        return;
    Q_EMIT seekRequested(std::clamp<qint64>(frame, 0, m_frameCount - 1));
}

void TransportBar::updateDurationLabel() {
    if (m_frameCount <= 0 || !m_rate.isValid()) {
        m_durationLabel->setText(QStringLiteral("/ --:--:--.---"));
        return;
    }
    m_durationLabel->setText(QStringLiteral("/ %1").arg(Timecode::formatFrame(m_frameCount, m_rate)));
    m_durationLabel->setToolTip(tr("%n frames at %1 fps", nullptr, int(m_frameCount))
                                    .arg(QString::number(m_rate.framesPerSecond(), 'f', 3)));
}

} // namespace saccade
