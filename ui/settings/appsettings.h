#pragma once

#include <QByteArray>
#include <QHash>
#include <QKeySequence>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

class QSettings;

namespace saccade {

/// Typed access to the user's persistent settings (window layout, recent files, key bindings,
/// playback and overlay preferences). Wraps one QSettings store with defaults and validation; the
/// application constructs it and passes it to the windows that need it. Lives on the GUI thread.
/// The attention overlay's choices besides opacity (names as the attention controls show them).
struct OverlayChoices {
    /// -1: the last layer.
    int layer = -1;
    /// -1: all heads fused.
    int head = -1;
    /// "mean", "max" or "min".
    QString fusion = QStringLiteral("mean");
    /// Share of the lowest entries dropped, [0, 0.95].
    double discardRatio = 0.0;
    bool rollout = false;
    /// "viridis", "inferno", "jet" or "grey".
    QString colormap = QStringLiteral("viridis");
};

class AppSettings {
public:
    static constexpr int kMaxRecentFiles = 10;
    static constexpr double kMinPlaybackSpeed = 0.0625;
    static constexpr double kMaxPlaybackSpeed = 16.0;

    /// Takes ownership of the store (a native QSettings in the app, an INI file in tests).
    explicit AppSettings(std::unique_ptr<QSettings> store);
    /// The store of the current user and application name.
    AppSettings();
    ~AppSettings();
    AppSettings(const AppSettings&) = delete;
    AppSettings& operator=(const AppSettings&) = delete;

    /// An AppSettings persisted to an INI file at filePath.
    static std::unique_ptr<AppSettings> fromIniFile(const QString& filePath);

    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray& geometry);
    QByteArray windowState() const;
    void setWindowState(const QByteArray& state);

    /// Most recent first, at most kMaxRecentFiles, no duplicates.
    QStringList recentFiles() const;
    void addRecentFile(const QString& filePath);
    void clearRecentFiles();

    QString lastOpenDirectory() const;
    void setLastOpenDirectory(const QString& directory);

    /// Clamped to [kMinPlaybackSpeed, kMaxPlaybackSpeed]; 1.0 by default.
    double playbackSpeed() const;
    void setPlaybackSpeed(double speed);

    /// Attention overlay opacity in [0, 1]; 0.5 by default.
    double overlayOpacity() const;
    void setOverlayOpacity(double opacity);

    /// Validated: unknown names and out-of-range numbers read as the defaults.
    OverlayChoices overlayChoices() const;
    void setOverlayChoices(const OverlayChoices& choices);

    bool hudVisible() const;
    void setHudVisible(bool visible);

    /// Key bindings the user changed, by stable action id; actions absent here use their defaults.
    QHash<QString, QList<QKeySequence>> keyBindings() const;
    void setKeyBindings(const QHash<QString, QList<QKeySequence>>& bindings);

    /// Writes pending changes to the store.
    void sync();

private:
    std::unique_ptr<QSettings> m_store;
};

} // namespace saccade
