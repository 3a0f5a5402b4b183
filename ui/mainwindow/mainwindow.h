#pragma once

#include "core/annotation/projectdocument.h"
#include "core/annotation/splitassigner.h"
#include "core/export/exportoptions.h"
#include "core/media/videoinfo.h"
#include "ui/keys/keymap.h"
#include "ui/transport/shuttle.h"
#include "ui/transport/timecode.h"

#include <QMainWindow>
#include <QPointer>
#include <QStringList>
#include <QThread>

#include <memory>
#include <optional>

class QDockWidget;
class QLabel;
class QMenu;
class QTableView;
class QTimer;

namespace saccade {

class AnalysisController;
class AppSettings;
class AttentionGrid;
class AttentionPanel;
class DecodeWorker;
class DemoVideoTask;
class ExplorerBinding;
class ExplorerTools;
class ExportJob;
struct Error;
struct VideoFrame;
struct VideoInfo;
class CommandActions;
class LabelsPanel;
class MessageBar;
class ModelTools;
class PatchAttentionPanel;
class ProbabilityRibbon;
class ProjectStore;
class ProgressArea;
class ThumbnailLoader;
class TimelineView;
class TransportBar;
class VideoListModel;
class VideoView;

/// The player window: video view, transport and timeline in the middle, labels on the right, a
/// message bar for problems and a status bar with progress. Owns the window's key bindings; reads
/// and writes the user's settings through the AppSettings it is given (which must outlive it).
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(AppSettings& settings, QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Opens a video file; problems are reported in the message bar.
    void openVideo(const QString& path);
    /// Opens videos one after another (each joins the project as it opens), ending on the last.
    void openVideos(const QStringList& paths);

    /// Opens the synthetic demo video, creating it first (in the background) when it is not cached.
    void openDemo();

    /// Opens a project file (offering recovery from its autosave); false when it could not be opened.
    bool openProject(const QString& path);
    /// Starts a new untitled project (asking to save the current one first); false when cancelled.
    bool newProject();
    /// Saves the project (asking for a file name when untitled); false when cancelled or failed.
    bool saveProject();
    bool saveProjectAs(const QString& path = QString());
    /// True when the project has changes not written to its file.
    bool hasUnsavedChanges() const;
    /// Exports a copy of the project in the background (progress and Cancel in the status bar);
    /// splits are assigned first when `ratios` is given. False when an export is already running.
    bool startExport(ExportOptions options, std::optional<SplitRatios> ratios = std::nullopt,
                     quint64 seed = 0);
    ProgressArea* exportProgressArea() const { return m_exportProgress; }

    /// Loads the project's labels from a label file (one name per line, or a class-index map).
    void loadLabels(const QString& path);
    ProjectDocument* document() { return m_document; }
    /// The open project file, or null for an untitled project.
    ProjectStore* projectStore() const { return m_store.get(); }
    QString currentVideoId() const { return m_videoId; }
    QString selectedSegment() const { return m_selectedSegment; }

    void showError(const QString& text);
    void showInformation(const QString& text);

    const KeyMap& keyMap() const { return m_keyMap; }
    void setKeyMap(const KeyMap& keyMap);

    qint64 currentFrame() const { return m_currentFrame; }
    qint64 frameCount() const { return m_frameCount; }
    /// Frames playback has skipped so far because the view had too many still to draw.
    qint64 droppedFrames() const;
    double playbackRate() const { return m_rate; }
    qint64 markIn() const { return m_markIn; }
    qint64 markOut() const { return m_markOut; }

    VideoView* videoView() const { return m_videoView; }
    TransportBar* transportBar() const { return m_transport; }
    TimelineView* timeline() const { return m_timeline; }
    ProbabilityRibbon* ribbon() const { return m_ribbon; }
    LabelsPanel* labelsPanel() const { return m_labels; }
    MessageBar* messageBar() const { return m_messageBar; }
    ProgressArea* progressArea() const { return m_progress; }
    CommandActions* actions() const { return m_actions; }
    AnalysisController* analysis() const { return m_analysis; }
    AttentionPanel* attentionPanel() const { return m_attention; }
    ExplorerTools* explorerTools() const { return m_explorerTools; }
    ModelTools* modelTools() const { return m_modelTools; }
    AttentionGrid* attentionGrid() const { return m_attentionGrid; }
    PatchAttentionPanel* patchAttentionPanel() const { return m_patchAttention; }

    /// Loads the model that analyses every video opened (a checkpoint, a Hugging Face folder or "demo").
    void loadModel(const QString& source);

Q_SIGNALS:
    /// A command ran (after the window handled it); lets tests and scripts follow the keyboard.
    void commandHandled(saccade::Command command);
    /// A video opened and its first frame was requested.
    void videoOpened();
    /// A decoded frame is on screen.
    void frameShown(qint64 frame);
    /// An export ended (after its message is shown).
    void exportDone(bool succeeded);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildMenus();
    void buildDocks();
    void restoreSettings();
    void handleCommand(Command command);
    void editKeyMap();
    void chooseVideo();
    void updateRecentMenu();
    void updateWindowTitle();
    /// Makes `document` the one the window edits and shows.
    void attachDocument(ProjectDocument* document);
    /// Asks to save unsaved changes; false when the user cancels.
    bool maybeSave();
    void openVideoEntry(const QString& videoId);
    void chooseExport();
    void openNextQueuedVideo();

    // Playback.
    void seekTo(qint64 frame);
    void stepBy(qint64 frames);
    void togglePlay();
    void setRate(double rate);
    void changeSpeed(int direction);
    void showPosition(qint64 frame);
    void setMarks(qint64 inFrame, qint64 outFrame);
    void reverseTick();
    void requestThumbnails();

    // Annotation.
    void refreshLabels();
    void refreshSegments();
    void createSegmentFromMarks();
    void applyLabelKey(int key);
    void selectSegment(const QString& id);
    /// The selected segment, else the one under the playhead.
    QString targetSegment() const;
    void jumpToSegment(int direction);
    void splitSegment(const QString& id, qint64 frame);
    void mergeWithNext(const QString& id);
    void toggleLoop(const QString& id);
    void reportStatus(const Status& status);

    // Decode worker events.
    void onOpened(const VideoInfo& info);
    void onFrameCountSettled(qint64 frameCount);
    void showVideoInfo();
    void onFrame(const VideoFrame& frame);
    void onPlayingChanged(bool playing);
    void onDecodeError(const Error& error);

    AppSettings& m_settings;
    KeyMap m_keyMap;
    CommandActions* m_actions = nullptr;

    VideoView* m_videoView = nullptr;
    TransportBar* m_transport = nullptr;
    TimelineView* m_timeline = nullptr;
    ProbabilityRibbon* m_ribbon = nullptr;
    LabelsPanel* m_labels = nullptr;
    MessageBar* m_messageBar = nullptr;
    ProgressArea* m_progress = nullptr;
    ProgressArea* m_exportProgress = nullptr;
    ExportJob* m_exportJob = nullptr;
    DemoVideoTask* m_demoTask = nullptr;
    QLabel* m_videoInfoLabel = nullptr;
    VideoListModel* m_videoList = nullptr;
    QTableView* m_videoTable = nullptr;
    AttentionPanel* m_attention = nullptr;
    AttentionGrid* m_attentionGrid = nullptr;
    PatchAttentionPanel* m_patchAttention = nullptr;
    QDockWidget* m_attentionDock = nullptr;
    QDockWidget* m_gridDock = nullptr;
    QDockWidget* m_patchDock = nullptr;
    bool m_patchDockShown = false;
    ExplorerBinding* m_explorerBinding = nullptr;
    AnalysisController* m_analysis = nullptr;
    ExplorerTools* m_explorerTools = nullptr;
    ModelTools* m_modelTools = nullptr;
    QMenu* m_recentMenu = nullptr;

    QThread m_decodeThread;
    DecodeWorker* m_worker = nullptr;
    // The worker plays forwards only; backward shuttle steps it from here.
    QTimer* m_reverseTimer = nullptr;
    ThumbnailLoader* m_thumbnails = nullptr;
    QTimer* m_thumbnailTimer = nullptr;

    /// The document edited: the store's when a project file is open, else the untitled one.
    std::unique_ptr<ProjectDocument> m_untitled;
    std::unique_ptr<ProjectStore> m_store;
    QPointer<ProjectDocument> m_document;
    QString m_videoId;
    QString m_selectedSegment;
    QString m_currentLabel;
    /// Playback wraps from this segment's end to its start; empty when not looping.
    QString m_loopSegment;

    QString m_videoPath;
    QString m_pendingPath;
    /// Dropped videos still to open (and so add to the project).
    QStringList m_videoQueue;
    FrameRate m_frameRate;
    qint64 m_frameCount = 0;
    VideoInfo m_videoInfo;
    qint64 m_currentFrame = 0;
    bool m_playing = false;
    /// Signed playback rate while playing, the chosen speed while paused.
    double m_rate = 1.0;
    Shuttle m_shuttle;
    qint64 m_markIn = -1;
    qint64 m_markOut = -1;
};

} // namespace saccade
