#include "ui/settings/appsettings.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

#include <algorithm>
#include <cmath>

namespace saccade {

namespace {

const QString kGeometryKey = QStringLiteral("window/geometry");
const QString kStateKey = QStringLiteral("window/state");
const QString kRecentFilesKey = QStringLiteral("files/recent");
const QString kLastDirectoryKey = QStringLiteral("files/lastDirectory");
const QString kSpeedKey = QStringLiteral("playback/speed");
const QString kOpacityKey = QStringLiteral("overlay/opacity");
const QString kOverlayLayerKey = QStringLiteral("overlay/layer");
const QString kOverlayHeadKey = QStringLiteral("overlay/head");
const QString kOverlayFusionKey = QStringLiteral("overlay/fusion");
const QString kOverlayDiscardKey = QStringLiteral("overlay/discardRatio");
const QString kOverlayRolloutKey = QStringLiteral("overlay/rollout");
const QString kOverlayColormapKey = QStringLiteral("overlay/colormap");
const QString kHudKey = QStringLiteral("view/hud");
const QString kKeysGroup = QStringLiteral("keys");

} // namespace

AppSettings::AppSettings(std::unique_ptr<QSettings> store) : m_store(std::move(store)) {}

AppSettings::AppSettings() : m_store(std::make_unique<QSettings>()) {}

AppSettings::~AppSettings() = default;

std::unique_ptr<AppSettings> AppSettings::fromIniFile(const QString& filePath) {
    return std::make_unique<AppSettings>(std::make_unique<QSettings>(filePath, QSettings::IniFormat));
}

QByteArray AppSettings::windowGeometry() const {
    return m_store->value(kGeometryKey).toByteArray();
}

void AppSettings::setWindowGeometry(const QByteArray& geometry) {
    m_store->setValue(kGeometryKey, geometry);
}

QByteArray AppSettings::windowState() const {
    return m_store->value(kStateKey).toByteArray();
}

void AppSettings::setWindowState(const QByteArray& state) {
    m_store->setValue(kStateKey, state);
}

QStringList AppSettings::recentFiles() const {
    QStringList files = m_store->value(kRecentFilesKey).toStringList();
    files.removeAll(QString());
    files.removeDuplicates();
    return files.mid(0, kMaxRecentFiles);
}

void AppSettings::addRecentFile(const QString& filePath) {
    if (filePath.isEmpty())
        return;
    const QString absolute = QFileInfo(filePath).absoluteFilePath();
    QStringList files = recentFiles();
    files.removeAll(absolute);
    files.prepend(absolute);
    m_store->setValue(kRecentFilesKey, files.mid(0, kMaxRecentFiles));
}

void AppSettings::clearRecentFiles() {
    m_store->remove(kRecentFilesKey);
}

QString AppSettings::lastOpenDirectory() const {
    const QString directory = m_store->value(kLastDirectoryKey).toString();
    return !directory.isEmpty() && QFileInfo(directory).isDir() ? directory : QDir::homePath();
}

void AppSettings::setLastOpenDirectory(const QString& directory) {
    m_store->setValue(kLastDirectoryKey, directory);
}

double AppSettings::playbackSpeed() const {
    bool ok = false;
    const double speed = m_store->value(kSpeedKey, 1.0).toDouble(&ok);
    if (!ok || !std::isfinite(speed))
        return 1.0;
    return std::clamp(speed, kMinPlaybackSpeed, kMaxPlaybackSpeed);
}

void AppSettings::setPlaybackSpeed(double speed) {
    if (std::isfinite(speed))
        m_store->setValue(kSpeedKey, std::clamp(speed, kMinPlaybackSpeed, kMaxPlaybackSpeed));
}

double AppSettings::overlayOpacity() const {
    bool ok = false;
    const double opacity = m_store->value(kOpacityKey, 0.5).toDouble(&ok);
    if (!ok || !std::isfinite(opacity))
        return 0.5;
    return std::clamp(opacity, 0.0, 1.0);
}

void AppSettings::setOverlayOpacity(double opacity) {
    if (std::isfinite(opacity))
        m_store->setValue(kOpacityKey, std::clamp(opacity, 0.0, 1.0));
}

OverlayChoices AppSettings::overlayChoices() const {
    OverlayChoices choices;
    bool ok = false;
    const int layer = m_store->value(kOverlayLayerKey, -1).toInt(&ok);
    choices.layer = ok && layer >= -1 ? layer : -1;
    const int head = m_store->value(kOverlayHeadKey, -1).toInt(&ok);
    choices.head = ok && head >= -1 ? head : -1;
    const QString fusion = m_store->value(kOverlayFusionKey).toString();
    if (fusion == QLatin1String("max") || fusion == QLatin1String("min"))
        choices.fusion = fusion;
    const double discard = m_store->value(kOverlayDiscardKey, 0.0).toDouble(&ok);
    choices.discardRatio = ok && std::isfinite(discard) ? std::clamp(discard, 0.0, 0.95) : 0.0;
    choices.rollout = m_store->value(kOverlayRolloutKey, false).toBool();
    const QString colormap = m_store->value(kOverlayColormapKey).toString();
    for (const char* name : {"viridis", "inferno", "jet", "grey"})
        if (colormap == QLatin1String(name))
            choices.colormap = colormap;
    return choices;
}

void AppSettings::setOverlayChoices(const OverlayChoices& choices) {
    m_store->setValue(kOverlayLayerKey, std::max(-1, choices.layer));
    m_store->setValue(kOverlayHeadKey, std::max(-1, choices.head));
    m_store->setValue(kOverlayFusionKey, choices.fusion);
    if (std::isfinite(choices.discardRatio))
        m_store->setValue(kOverlayDiscardKey, std::clamp(choices.discardRatio, 0.0, 0.95));
    m_store->setValue(kOverlayRolloutKey, choices.rollout);
    m_store->setValue(kOverlayColormapKey, choices.colormap);
}

bool AppSettings::hudVisible() const {
    return m_store->value(kHudKey, true).toBool();
}

void AppSettings::setHudVisible(bool visible) {
    m_store->setValue(kHudKey, visible);
}

QHash<QString, QList<QKeySequence>> AppSettings::keyBindings() const {
    QHash<QString, QList<QKeySequence>> bindings;
    m_store->beginGroup(kKeysGroup);
    const QStringList ids = m_store->childKeys();
    for (const QString& id : ids) {
        QList<QKeySequence> sequences;
        // Stored as portable text so the file stays readable and editable by hand.
        const QStringList texts = m_store->value(id).toStringList();
        for (const QString& text : texts) {
            const QKeySequence sequence = QKeySequence::fromString(text, QKeySequence::PortableText);
            if (!sequence.isEmpty())
                sequences.append(sequence);
        }
        bindings.insert(id, sequences);
    }
    m_store->endGroup();
    return bindings;
}

void AppSettings::setKeyBindings(const QHash<QString, QList<QKeySequence>>& bindings) {
    m_store->remove(kKeysGroup);
    m_store->beginGroup(kKeysGroup);
    for (auto it = bindings.cbegin(); it != bindings.cend(); ++it) {
        QStringList texts;
        for (const QKeySequence& sequence : it.value())
            texts.append(sequence.toString(QKeySequence::PortableText));
        // An empty list would read back as "no entry"; a single empty string marks "unbound".
        m_store->setValue(it.key(), texts.isEmpty() ? QStringList{QString()} : texts);
    }
    m_store->endGroup();
}

void AppSettings::sync() {
    m_store->sync();
}

} // namespace saccade
