#pragma once

#include "core/inference/actionlocalizer.h"
#include "core/inference/inferenceworker.h"

#include <QObject>
#include <QPointer>
#include <QString>

#include <map>
#include <vector>

namespace saccade {

class AttentionExplorer;
class LabelsPanel;
class ProbabilityRibbon;
class ProgressArea;
class ProjectDocument;
class TimelineView;
class VideoView;

/// The widgets the analysis feeds; all owned by the window, which outlives the controller.
struct AnalysisViews {
    VideoView* video = nullptr;
    TimelineView* timeline = nullptr;
    ProbabilityRibbon* ribbon = nullptr;
    LabelsPanel* labels = nullptr;
    ProgressArea* progress = nullptr;
};

/// Connects the window to an InferenceWorker: loads the model, analyses the open video (the window
/// under the playhead first), and shows the results in the ribbon, the timeline and the top-k bars;
/// the window under the playhead goes to the AttentionExplorer it owns (the overlay and the attention
/// panels), which gets the window's full spatial maps from the worker when it asks for them. When an
/// analysis completes, its proposals go into the document as one undo step. Lives on the GUI thread;
/// the model runs on the worker's thread.
class AnalysisController : public QObject {
    Q_OBJECT
public:
    AnalysisController(const AnalysisViews& views, ProjectDocument* document, QObject* parent = nullptr);

    /// The document proposals go into (the window's current project).
    void setDocument(ProjectDocument* document) { m_document = document; }
    /// Loads `source` (a checkpoint, a Hugging Face folder or "demo"); the open video is analysed
    /// once it has loaded.
    void loadModel(const QString& source);
    /// Starts analysing `path` (document video `videoId`) as soon as a model is loaded.
    void setVideo(const QString& path, const QString& videoId, qint64 frameCount);
    /// The frame on screen: re-prioritises the analysis and picks the window shown.
    void setPlayhead(qint64 frame);
    void cancel();

    /// The attention shown for the window under the playhead.
    AttentionExplorer* explorer() const { return m_explorer; }
    /// Overlay choices: layer (-1: the last), head (-1: all heads fused).
    void setLayer(int layer);
    void setHead(int head);
    int layer() const;
    int head() const;
    /// Steps the layer or head by `delta`, wrapping through "last"/"mean".
    void stepLayer(int delta);
    void stepHead(int delta);

    /// How the analysed windows become proposals (background, smoothing, shortest segment).
    void setLocalizationOptions(const LocalizationOptions& options) { m_localizationOptions = options; }
    const LocalizationOptions& localizationOptions() const { return m_localizationOptions; }
    /// Proposes again from the finished analysis with the current options (no model run); the new
    /// proposals replace this model's unreviewed ones as one undo step. Nothing while analysing.
    void repropose();
    /// The open video's per-frame scores and decoded labelling, once its analysis has finished.
    const Localization& localization() const { return m_localization; }

    bool hasModel() const { return m_modelLoaded; }
    const ModelSummary& model() const { return m_model; }
    int analysedWindows() const { return static_cast<int>(m_results.size()); }
    int plannedWindows() const { return static_cast<int>(m_plan.windows.size()); }
    /// Index of the window whose results are shown, -1 for none.
    int currentWindow() const { return m_currentWindow; }
    bool isAnalysing() const { return m_analysing; }
    /// The analysed windows of the open video by index, the plan they come from, and what the overlay
    /// shows (for the review queue, the faithfulness check and view export).
    const std::map<int, WindowResult>& results() const { return m_results; }
    const AnalysisPlan& plan() const { return m_plan; }
    /// The explorer's choices as an overlay request (opacity 1: the video view applies the user's).
    OverlayRequest overlayRequest() const;
    const QString& modelSource() const { return m_modelSource; }
    const QString& videoPath() const { return m_videoPath; }

Q_SIGNALS:
    void modelLoaded(const saccade::ModelSummary& summary);
    /// A problem the user should see, worded for the message bar.
    void errorOccurred(const QString& text);
    void windowAnalysed(int windowIndex, qint64 startFrame, qint64 endFrame, const QString& topLabel,
                        double probability);
    void analysisFinished(int proposals);
    /// The layer or head changed (for the controls that show them).
    void overlayChoiceChanged();

private:
    void startAnalysis();
    void onModelLoaded(quint64 generation, const ModelSummary& summary);
    void onModelFailed(quint64 generation, const Error& error);
    void onAnalysisStarted(const AnalysisPlan& plan);
    void onWindowReady(const WindowResult& result);
    void onProgress(const AnalysisProgress& progress);
    void onFinished(quint64 generation);
    void onFailed(quint64 generation, const Error& error);
    /// The window under `frame` when it has been analysed, else -1.
    int windowFor(qint64 frame) const;
    void showWindow(int windowIndex);
    void updateRanges();
    void updateRibbon();
    void addProposals();
    void resetResults();

    AnalysisViews m_views;
    QPointer<ProjectDocument> m_document;
    InferenceWorker* m_worker = nullptr;

    QString m_modelSource;
    /// Why the model did not load; repeated when a video opens, since analysis is then unavailable.
    QString m_modelError;
    ModelSummary m_model;
    bool m_modelLoaded = false;
    bool m_modelLoading = false;
    QString m_videoPath;
    QString m_videoId;
    qint64 m_frameCount = 0;
    qint64 m_playhead = 0;

    AnalysisPlan m_plan;
    bool m_analysing = false;
    std::map<int, WindowResult> m_results;
    int m_currentWindow = -1;
    AttentionExplorer* m_explorer = nullptr;
    LocalizationOptions m_localizationOptions;
    Localization m_localization;
};

} // namespace saccade
