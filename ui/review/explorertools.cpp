#include "ui/review/explorertools.h"

#include "ui/review/agreementdialog.h"

#include "core/annotation/projectdocument.h"
#include "core/inference/faithfulnessworker.h"
#include "ui/analysis/analysiscontroller.h"
#include "ui/analysis/attentionexplorer.h"
#include "ui/keys/commandactions.h"
#include "ui/keys/keymap.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/mainwindow/progressarea.h"
#include "ui/review/faithfulnesspanel.h"
#include "ui/review/reviewpanel.h"
#include "ui/video/videoview.h"

#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonObject>
#include <QMenu>
#include <QScrollArea>
#include <QStatusBar>

namespace saccade {

namespace {

QString keyText(const KeyMap& keys, Command command) {
    const QList<QKeySequence> sequences = keys.sequences(command);
    return sequences.isEmpty() ? QString() : sequences.first().toString(QKeySequence::NativeText);
}

QString fusionName(HeadFusion fusion) {
    switch (fusion) {
    case HeadFusion::Max:
        return QStringLiteral("max");
    case HeadFusion::Min:
        return QStringLiteral("min");
    case HeadFusion::Mean:
        break;
    }
    return QStringLiteral("mean");
}

// A copy of `window` with only the arrays `spec` draws from (the temporal maps alone can be several
// megabytes per window).
WindowResult drawableCopy(const WindowResult& window, const AttentionViewSpec& spec) {
    WindowResult copy = window;
    copy.temporal = {};
    if (spec.rollout)
        copy.spatial = {};
    else
        copy.rollout = {};
    return copy;
}

} // namespace

ExplorerTools::ExplorerTools(MainWindow* window) : QObject(window), m_window(window) {
    m_reviewPanel = new ReviewPanel(window);
    m_reviewDock = addDock(tr("Review"), QStringLiteral("ReviewDock"), m_reviewPanel);
    m_faithfulnessPanel = new FaithfulnessPanel(window);
    m_faithfulnessDock = addDock(tr("Faithfulness"), QStringLiteral("FaithfulnessDock"), m_faithfulnessPanel);
    // Both join the Labels dock's tabs (when it is there), which stays in front.
    if (auto* labels = window->findChild<QDockWidget*>(QStringLiteral("LabelsDock"))) {
        window->tabifyDockWidget(labels, m_reviewDock);
        labels->raise();
    }
    window->tabifyDockWidget(m_reviewDock, m_faithfulnessDock);
    m_reviewDock->raise();
    if (auto* labels = window->findChild<QDockWidget*>(QStringLiteral("LabelsDock")))
        labels->raise();

    m_exportProgress = new ProgressArea(window);
    window->statusBar()->addPermanentWidget(m_exportProgress);
    m_exportTask = new ViewExportTask(this);
    connect(m_exportTask, &ViewExportTask::progressChanged, m_exportProgress, &ProgressArea::setProgress);
    connect(m_exportProgress, &ProgressArea::cancelRequested, m_exportTask, &ViewExportTask::cancel);

    m_faithfulness = new FaithfulnessWorker(this);
    connect(m_faithfulness, &FaithfulnessWorker::progressChanged, m_faithfulnessPanel,
            &FaithfulnessPanel::setProgress);
    connect(m_faithfulness, &FaithfulnessWorker::finished, this, &ExplorerTools::onFaithfulnessFinished);
    connect(m_faithfulness, &FaithfulnessWorker::failed, this, [this](const Error& error) {
        m_faithfulnessPanel->setRunning(false);
        m_faithfulnessPanel->setError(tr("The check stopped: %1").arg(error.toString()));
    });
    connect(m_faithfulnessPanel, &FaithfulnessPanel::runRequested, this, &ExplorerTools::runFaithfulness);
    connect(m_faithfulnessPanel, &FaithfulnessPanel::cancelRequested, this, [this] {
        m_faithfulness->cancel();
        m_faithfulnessPanel->setRunning(false);
        m_faithfulnessPanel->setError(tr("Check cancelled."));
    });

    connect(m_reviewPanel, &ReviewPanel::nextRequested, this, [this] { stepReview(1); });
    connect(m_reviewPanel, &ReviewPanel::previousRequested, this, [this] { stepReview(-1); });
    connect(m_reviewPanel, &ReviewPanel::optionsChanged, this, [this] {
        m_reviewPanel->setReason({});
        updateReviewSummary();
    });
    connect(window, &MainWindow::frameShown, this, &ExplorerTools::updateFaithfulnessTarget);
    connect(m_faithfulnessDock, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (visible)
            updateFaithfulnessTarget();
    });
    connect(window, &MainWindow::videoOpened, this, [this] {
        watchDocument();
        m_reviewPanel->setReason({});
        m_faithfulnessPanel->clearResult();
        updateReviewSummary();
    });
    updateReviewSummary();
}

ExplorerTools::~ExplorerTools() = default;

QDockWidget* ExplorerTools::addDock(const QString& title, const QString& objectName, QWidget* panel) {
    auto* dock = new QDockWidget(title, m_window);
    dock->setObjectName(objectName);
    // A short dock scrolls its panel instead of squeezing it.
    auto* scroll = new QScrollArea(dock);
    scroll->setWidget(panel);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    dock->setWidget(scroll);
    m_window->addDockWidget(Qt::RightDockWidgetArea, dock);
    return dock;
}

void ExplorerTools::addFileActions(QMenu* file) {
    QMenu* exportView = file->addMenu(tr("Export &View"));
    exportView->addAction(tr("&Frame with Overlay (PNG)\u2026"), this, &ExplorerTools::chooseFramePng);
    exportView->addAction(tr("&Video with Overlay (MP4)\u2026"), this, &ExplorerTools::chooseOverlayVideo);
    exportView->addAction(tr("Attention &Arrays of This Window (.npy)\u2026"), this,
                          &ExplorerTools::chooseArrays);
}

void ExplorerTools::addReviewActions(QMenu* review) {
    review->addSeparator();
    review->addAction(tr("&Faithfulness Check\u2026"), this, [this] {
        m_faithfulnessDock->show();
        m_faithfulnessDock->raise();
        updateFaithfulnessTarget();
    });
    review->addAction(tr("&Agreement\u2026"), this, [this] {
        const ProjectDocument* document = m_window->document();
        if (!document)
            return;
        auto* dialog = new AgreementDialog(document->data(), m_window);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
}

void ExplorerTools::setAnalysis(AnalysisController* analysis) {
    m_analysis = analysis;
    watchDocument();
    connect(analysis, &AnalysisController::windowAnalysed, this, [this] {
        updateReviewSummary();
        updateFaithfulnessTarget();
    });
    connect(analysis, &AnalysisController::modelLoaded, this, [this] {
        m_faithfulnessPanel->clearResult();
        updateReviewSummary();
        updateFaithfulnessTarget();
    });
    // The buttons name the keys bound now, also after the user remaps them.
    auto showKeys = [this] {
        const KeyMap& keys = m_window->keyMap();
        m_reviewPanel->setShortcutTexts(keyText(keys, Command::PreviousReview),
                                        keyText(keys, Command::NextReview));
    };
    for (Command command : {Command::NextReview, Command::PreviousReview})
        connect(m_window->actions()->action(command), &QAction::changed, this, showKeys);
    showKeys();
    updateReviewSummary();
    updateFaithfulnessTarget();
}

// Review queue.

void ExplorerTools::watchDocument() {
    ProjectDocument* document = m_window->document();
    if (document == m_document)
        return;
    if (m_document)
        disconnect(m_document, nullptr, this, nullptr);
    m_document = document;
    if (m_document)
        connect(m_document, &ProjectDocument::modified, this, &ExplorerTools::updateReviewSummary);
}

std::vector<LabelSpan> ExplorerTools::acceptedLabels() const {
    std::vector<LabelSpan> spans;
    const ProjectDocument* document = m_window->document();
    const VideoEntry* video = document ? document->video(m_window->currentVideoId()) : nullptr;
    if (!video)
        return spans;
    for (const Segment& segment : video->segments)
        if (segment.state == SegmentState::Accepted || segment.state == SegmentState::Edited)
            spans.push_back({segment.startFrame, segment.endFrame, segment.label});
    return spans;
}

ReviewQueue ExplorerTools::reviewQueue() const {
    if (!m_analysis)
        return {};
    return ReviewQueue(m_analysis->results(), acceptedLabels(), m_reviewPanel->options());
}

void ExplorerTools::updateReviewSummary() {
    const int analysed = m_analysis ? m_analysis->analysedWindows() : 0;
    if (analysed == 0) {
        m_reviewPanel->setSummary(
            tr("No analysed windows yet: the queue fills as the model analyses the video."));
        return;
    }
    const ReviewQueue queue = reviewQueue();
    QString text = analysed == 1 ? tr("%1 of 1 analysed window to review").arg(queue.size())
                                 : tr("%1 of %2 analysed windows to review").arg(queue.size()).arg(analysed);
    const int pending = m_analysis->plannedWindows() - analysed;
    if (pending > 0)
        text += tr(" (%1 still to analyse)").arg(pending);
    if (m_reviewPanel->options().criterion == ReviewCriterion::Disagreement && acceptedLabels().empty())
        text += QLatin1Char('\n') + tr("This video has no accepted segments to compare with.");
    m_reviewPanel->setSummary(text);
}

bool ExplorerTools::stepReview(int direction) {
    updateReviewSummary();
    const ReviewQueue queue = reviewQueue();
    const qint64 playhead = m_window->currentFrame();
    bool wrapped = false;
    const std::optional<ReviewItem> item =
        direction >= 0 ? queue.next(playhead, &wrapped) : queue.previous(playhead, &wrapped);
    if (!item) {
        const ReviewOptions options = m_reviewPanel->options();
        QString text;
        if (!m_analysis || m_analysis->analysedWindows() == 0)
            text = tr("Nothing to review yet: no window has been analysed.");
        else if (options.criterion == ReviewCriterion::LowMargin)
            text = tr("No analysed window has a margin below %1.").arg(options.threshold, 0, 'f', 2);
        else if (options.criterion == ReviewCriterion::HighEntropy)
            text = tr("No analysed window has an entropy above %1.").arg(options.threshold, 0, 'f', 2);
        else
            text = tr("The model agrees with every accepted label of the analysed windows.");
        m_reviewPanel->setReason(text);
        m_window->statusBar()->showMessage(text, 8000);
        return false;
    }
    Q_EMIT seekRequested(item->frame);
    const auto found = m_analysis->results().find(item->windowIndex);
    QString where = found != m_analysis->results().end() ? windowText(found->second) : QString();
    QString text = item->reason;
    if (wrapped)
        text += direction >= 0 ? tr(" (wrapped to the start)") : tr(" (wrapped to the end)");
    m_reviewPanel->setReason(where.isEmpty() ? text : where + QStringLiteral(": ") + text);
    m_window->statusBar()->showMessage(tr("Review: %1").arg(text), 10000);
    return true;
}

// Faithfulness.

const WindowResult* ExplorerTools::currentWindow() const {
    if (!m_analysis)
        return nullptr;
    const auto found = m_analysis->results().find(m_analysis->currentWindow());
    return found == m_analysis->results().end() ? nullptr : &found->second;
}

QString ExplorerTools::windowText(const WindowResult& window) const {
    return tr("Window %1 \u00b7 frames %2\u2013%3")
        .arg(window.windowIndex + 1)
        .arg(window.startFrame)
        .arg(window.endFrame);
}

AttentionViewSpec ExplorerTools::viewSpec() const {
    AttentionViewSpec spec;
    if (m_analysis) {
        const ExplorerChoices& choices = m_analysis->explorer()->choices();
        spec.rollout = choices.source == AttentionSource::Rollout;
        spec.layer = choices.layer;
        spec.heads = {choices.head, choices.fusion};
        spec.discardRatio = choices.discardRatio;
        spec.style.colormap = choices.colormap;
    }
    spec.style.opacity = m_window->videoView()->overlayOpacity();
    return spec;
}

void ExplorerTools::updateFaithfulnessTarget() {
    if (m_faithfulnessPanel->isRunning() || !m_faithfulnessDock->isVisible())
        return;
    const WindowResult* window = currentWindow();
    if (!window) {
        m_faithfulnessPanel->setTarget(m_analysis && m_analysis->hasModel()
                                           ? tr("The window under the playhead has not been analysed yet.")
                                           : tr("Load a model and open a video to check its attention."),
                                       false);
        return;
    }
    const QString top = window->top.empty() ? QString() : window->top.front().label;
    m_faithfulnessPanel->setTarget(tr("%1 \u00b7 model says \u201c%2\u201d").arg(windowText(*window), top),
                                   true);
}

void ExplorerTools::runFaithfulness(const FaithfulnessSettings& settings) {
    const WindowResult* window = currentWindow();
    if (!window || !m_analysis)
        return;
    AttentionViewSpec spec = viewSpec();
    if (settings.map == FaithfulnessMap::Rollout)
        spec.rollout = true;
    FaithfulnessRequest request;
    request.modelSource = m_analysis->modelSource();
    request.preset = m_analysis->model().preset;
    request.videoPath = m_analysis->videoPath();
    request.frames = window->frames;
    request.options = settings.options;
    for (int t = 0; t < static_cast<int>(window->frames.size()); ++t) {
        Result<GridMap> map = AttentionViewExport::selectMap(*window, spec, t);
        if (!map.ok()) {
            m_faithfulnessPanel->setError(tr("No map to rank the patches by: %1").arg(map.error().message));
            return;
        }
        request.map.shape = {static_cast<int64_t>(window->frames.size()), map->rows, map->columns};
        request.map.values.insert(request.map.values.end(), map->values.begin(), map->values.end());
    }
    m_faithfulnessWindow = windowText(*window);
    m_faithfulnessPanel->clearResult();
    m_faithfulnessPanel->setRunning(true);
    m_faithfulness->start(request);
}

void ExplorerTools::onFaithfulnessFinished(const FaithfulnessResult& result) {
    m_faithfulnessPanel->setRunning(false);
    const QStringList labels = m_analysis ? m_analysis->model().labels : QStringList();
    const QString className = labels.value(result.classIndex, tr("class %1").arg(result.classIndex));
    m_faithfulnessPanel->setResult(result, className, m_faithfulnessWindow);
    updateFaithfulnessTarget();
    Q_EMIT faithfulnessDone(result);
}

// Export.

bool ExplorerTools::startExport(const QString& title, const QString& target, ViewExportTaskWork work) {
    if (m_exportTask->isRunning()) {
        m_window->showError(tr("An export of the view is already running (%1).").arg(m_exportTask->title()));
        return false;
    }
    m_exportProgress->start(title);
    disconnect(m_exportTask, &ViewExportTask::succeeded, this, nullptr);
    disconnect(m_exportTask, &ViewExportTask::failed, this, nullptr);
    connect(m_exportTask, &ViewExportTask::succeeded, this, [this, target] {
        m_exportProgress->finish();
        m_window->showInformation(tr("Exported %1").arg(QDir::toNativeSeparators(target)));
        Q_EMIT exportDone(true);
    });
    connect(m_exportTask, &ViewExportTask::failed, this, [this](const Error& error) {
        m_exportProgress->finish();
        if (error.category == ErrorCategory::Cancelled)
            m_window->showInformation(tr("Export cancelled; nothing was written."));
        else
            m_window->showError(tr("Export failed: %1").arg(error.toString()));
        Q_EMIT exportDone(false);
    });
    return m_exportTask->start(title, std::move(work));
}

bool ExplorerTools::exportFramePng(const QString& path) {
    const WindowResult* window = currentWindow();
    if (!window) {
        m_window->showError(tr("No analysed window under the playhead: there is no overlay to export."));
        return false;
    }
    const AttentionViewSpec spec = viewSpec();
    const qint64 frame = m_window->currentFrame();
    const int sample = AttentionViewExport::nearestSample(*window, frame);
    // The map on screen when the explorer shows this sampled frame (it may be a rollout with options
    // computed from the full maps), else the same choices applied to the stored maps.
    const AttentionExplorer& explorer = *m_analysis->explorer();
    const DisplayedMap& shownMap = explorer.map();
    const bool onScreen = explorer.hasWindow() && !shownMap.isEmpty() && !shownMap.pending &&
                          shownMap.sample == sample && explorer.window().windowIndex == window->windowIndex;
    Result<GridMap> map = onScreen
                              ? Result<GridMap>(GridMap{shownMap.values, shownMap.rows, shownMap.columns})
                              : AttentionViewExport::selectMap(*window, spec, sample);
    if (!map.ok()) {
        m_window->showError(tr("Cannot export the view: %1").arg(map.error().toString()));
        return false;
    }
    const WindowResult shown = drawableCopy(*window, spec);
    const QString video = m_analysis->videoPath();
    return startExport(tr("Exporting %1").arg(QFileInfo(path).fileName()), path,
                       [video, frame, shown, map = std::move(map).value(), style = spec.style,
                        path](const CancellationToken& cancel, const std::function<void(double)>& progress) {
                           const Status status = AttentionViewExport::writeFramePng(video, frame, shown, map,
                                                                                    style, path, cancel);
                           progress(1.0);
                           return status;
                       });
}

bool ExplorerTools::exportOverlayVideo(const QString& path, const OverlayVideoOptions& options) {
    if (!m_analysis || m_analysis->results().empty()) {
        m_window->showError(tr("Nothing has been analysed yet: there is no overlay to export."));
        return false;
    }
    const AttentionViewSpec spec = viewSpec();
    std::map<int, WindowResult> results;
    for (const auto& [index, window] : m_analysis->results())
        results.emplace(index, drawableCopy(window, spec));
    const std::vector<ClipWindow> windows = m_analysis->plan().windows;
    const QString video = m_analysis->videoPath();
    return startExport(tr("Exporting %1").arg(QFileInfo(path).fileName()), path,
                       [video, windows, results = std::move(results), spec, path, options](
                           const CancellationToken& cancel, const std::function<void(double)>& progress) {
                           return AttentionViewExport::writeOverlayVideo(video, windows, results, spec, path,
                                                                         options, cancel, progress);
                       });
}

bool ExplorerTools::exportArrays(const QString& directory) {
    const WindowResult* window = currentWindow();
    if (!window) {
        m_window->showError(tr("No analysed window under the playhead: there are no arrays to export."));
        return false;
    }
    const ModelSummary& model = m_analysis->model();
    const AttentionProvenance provenance{m_analysis->modelSource(), model.hash, m_analysis->videoPath(),
                                         model.preset, window->windowIndex};
    const AttentionViewSpec spec = viewSpec();
    const QJsonObject overlay{
        {QStringLiteral("map"), spec.rollout ? QStringLiteral("rollout") : QStringLiteral("spatial")},
        {QStringLiteral("layer"), spec.layer},
        {QStringLiteral("head"),
         spec.heads.head >= 0 ? QJsonValue(spec.heads.head) : QJsonValue(fusionName(spec.heads.fusion))},
        {QStringLiteral("discard_ratio"), spec.discardRatio},
        {QStringLiteral("colormap"), colormapName(spec.style.colormap)},
    };
    const WindowResult copy = *window;
    return startExport(tr("Exporting attention arrays"), directory,
                       [directory, copy, provenance, overlay](
                           const CancellationToken&, const std::function<void(double)>& progress) -> Status {
                           Result<QStringList> written = AttentionViewExport::writeArrays(
                               directory, copy, provenance,
                               QJsonObject{{QStringLiteral("overlay"), overlay}});
                           progress(1.0);
                           if (!written.ok())
                               return written.error();
                           return {};
                       });
}

void ExplorerTools::chooseFramePng() {
    const WindowResult* window = currentWindow();
    if (!window) {
        m_window->showError(tr("No analysed window under the playhead: there is no overlay to export."));
        return;
    }
    const QFileInfo video(m_analysis->videoPath());
    const QString suggested =
        video.dir().filePath(QStringLiteral("%1_frame_%2.png")
                                 .arg(video.completeBaseName())
                                 .arg(m_window->currentFrame(), 6, 10, QLatin1Char('0')));
    const QString path = QFileDialog::getSaveFileName(m_window, tr("Export Frame with Overlay"), suggested,
                                                      tr("PNG images (*.png)"));
    if (!path.isEmpty())
        exportFramePng(path);
}

void ExplorerTools::chooseOverlayVideo() {
    if (!m_analysis || m_analysis->results().empty()) {
        m_window->showError(tr("Nothing has been analysed yet: there is no overlay to export."));
        return;
    }
    const QFileInfo video(m_analysis->videoPath());
    const QString suggested =
        video.dir().filePath(QStringLiteral("%1_attention.mp4").arg(video.completeBaseName()));
    const QString path = QFileDialog::getSaveFileName(m_window, tr("Export Video with Overlay"), suggested,
                                                      tr("MP4 videos (*.mp4)"));
    if (!path.isEmpty())
        exportOverlayVideo(path);
}

void ExplorerTools::chooseArrays() {
    const WindowResult* window = currentWindow();
    if (!window) {
        m_window->showError(tr("No analysed window under the playhead: there are no arrays to export."));
        return;
    }
    const QFileInfo video(m_analysis->videoPath());
    const QString parent =
        QFileDialog::getExistingDirectory(m_window, tr("Export Attention Arrays Into"), video.absolutePath());
    if (parent.isEmpty())
        return;
    exportArrays(QDir(parent).filePath(QStringLiteral("%1_window_%2")
                                           .arg(video.completeBaseName())
                                           .arg(window->windowIndex, 4, 10, QLatin1Char('0'))));
}

} // namespace saccade
