#pragma once

#include <QObject>
#include <QPointer>
#include <QString>

namespace saccade {

class AppSettings;
class AttentionExplorer;
class AttentionGrid;
class AttentionPanel;
class PatchAttentionPanel;
class ThumbnailLoader;
class VideoView;

/// The views of the attention explorer; any may be null.
struct ExplorerWidgets {
    VideoView* video = nullptr;
    AttentionPanel* panel = nullptr;
    AttentionGrid* grid = nullptr;
    PatchAttentionPanel* patch = nullptr;
};

/// Keeps the explorer's views in step with an AttentionExplorer: the overlay, its HUD note and the
/// picked patch on the video view, the controls and colour bar, the layers x heads grid and the patch
/// panel (with thumbnails of the sampled frames, decoded in the background); sends the views' intents
/// back to the explorer and remembers the choices in the settings. Lives on the GUI thread.
class ExplorerBinding : public QObject {
    Q_OBJECT
public:
    /// `settings` may be null (nothing persists); when given, its choices are applied first.
    ExplorerBinding(AttentionExplorer* explorer, const ExplorerWidgets& widgets, AppSettings* settings,
                    QObject* parent = nullptr);

    /// The video the sampled frames' thumbnails come from.
    void setVideoPath(const QString& path);

private:
    void showMap();
    void showGrid();
    void showGridSelection();
    void showPatch();
    void requestThumbnails();
    void saveChoices();

    AttentionExplorer* m_explorer = nullptr;
    ExplorerWidgets m_widgets;
    AppSettings* m_settings = nullptr;
    ThumbnailLoader* m_thumbnails = nullptr;
    QString m_videoPath;
    QString m_thumbnailsFor;
    QString m_gridKey;
};

} // namespace saccade
