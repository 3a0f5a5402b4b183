#pragma once

#include "core/export/attentionviewexport.h"
#include "core/inference/reviewqueue.h"
#include "ui/review/viewexporttask.h"

#include <QObject>
#include <QPointer>
#include <QString>

#include <memory>

class QAction;
class QDockWidget;
class QMenu;

namespace saccade {

class AnalysisController;
class FaithfulnessPanel;
class FaithfulnessWorker;
class MainWindow;
class ProgressArea;
class ProjectDocument;
class ReviewPanel;
class ViewExportTask;
struct Error;
struct FaithfulnessResult;
struct FaithfulnessSettings;

/// The attention explorer's tools around the overlay: the review queue (N / Shift+N), the
/// faithfulness check and exports of the current view (PNG, MP4, arrays). Builds its docks into the
/// window and answers the window's commands; long work runs in the background with progress and
/// Cancel. Lives on the GUI thread.
class ExplorerTools : public QObject {
    Q_OBJECT
public:
    /// Adds the Review and Faithfulness docks to `window`.
    explicit ExplorerTools(MainWindow* window);
    ~ExplorerTools() override;

    /// File menu entries: the Export View submenu.
    void addFileActions(QMenu* file);
    /// Review menu entries after the window's own: the faithfulness check.
    void addReviewActions(QMenu* review);
    /// The analysis whose windows the tools use (created after the docks).
    void setAnalysis(AnalysisController* analysis);

    /// Moves the playhead to the next (`direction` > 0) or previous review item; false when there is none.
    bool stepReview(int direction);
    /// The review queue of the open video under the panel's options.
    ReviewQueue reviewQueue() const;

    /// Exports to `path` (the dialogs' choice); false when nothing can be exported now or an export
    /// runs. The result is shown in the message bar.
    bool exportFramePng(const QString& path);
    bool exportOverlayVideo(const QString& path, const OverlayVideoOptions& options = {});
    bool exportArrays(const QString& directory);

    ReviewPanel* reviewPanel() const { return m_reviewPanel; }
    FaithfulnessPanel* faithfulnessPanel() const { return m_faithfulnessPanel; }
    QDockWidget* reviewDock() const { return m_reviewDock; }
    QDockWidget* faithfulnessDock() const { return m_faithfulnessDock; }
    ViewExportTask* exportTask() const { return m_exportTask; }
    FaithfulnessWorker* faithfulnessWorker() const { return m_faithfulness; }

Q_SIGNALS:
    /// The playhead should move to `frame` (a review stop).
    void seekRequested(qint64 frame);
    /// An export ended (after its message is shown).
    void exportDone(bool succeeded);
    /// The faithfulness check of the current window ended with a result.
    void faithfulnessDone(const saccade::FaithfulnessResult& result);

private:
    QDockWidget* addDock(const QString& title, const QString& objectName, QWidget* panel);
    /// The analysed window under the playhead, null without one.
    const WindowResult* currentWindow() const;
    /// What the overlay shows, as an export spec with the view's opacity.
    AttentionViewSpec viewSpec() const;
    QString windowText(const WindowResult& window) const;
    std::vector<LabelSpan> acceptedLabels() const;
    void updateReviewSummary();
    /// Follows the window's current document: its label edits change what disagrees.
    void watchDocument();
    void updateFaithfulnessTarget();
    void runFaithfulness(const FaithfulnessSettings& settings);
    void onFaithfulnessFinished(const FaithfulnessResult& result);
    void chooseFramePng();
    void chooseOverlayVideo();
    void chooseArrays();
    bool startExport(const QString& title, const QString& target, ViewExportTaskWork work);

    MainWindow* m_window = nullptr;
    QPointer<AnalysisController> m_analysis;
    QPointer<ProjectDocument> m_document;
    ReviewPanel* m_reviewPanel = nullptr;
    FaithfulnessPanel* m_faithfulnessPanel = nullptr;
    QDockWidget* m_reviewDock = nullptr;
    QDockWidget* m_faithfulnessDock = nullptr;
    FaithfulnessWorker* m_faithfulness = nullptr;
    /// The window and class name the running check is about.
    QString m_faithfulnessWindow;
    ViewExportTask* m_exportTask = nullptr;
    ProgressArea* m_exportProgress = nullptr;
};

} // namespace saccade
