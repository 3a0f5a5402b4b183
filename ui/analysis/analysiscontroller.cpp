#include "ui/analysis/analysiscontroller.h"

#include "core/annotation/projectdocument.h"
#include "ui/analysis/attentionexplorer.h"
#include "ui/labels/labelspanel.h"
#include "ui/mainwindow/progressarea.h"
#include "ui/timeline/probabilityribbon.h"
#include "ui/timeline/timelineview.h"
#include "ui/video/videoview.h"

#include <QFileInfo>

#include <algorithm>
#include <cmath>

namespace saccade {

AnalysisController::AnalysisController(const AnalysisViews& views, ProjectDocument* document, QObject* parent)
    : QObject(parent), m_views(views), m_document(document) {
    m_worker = new InferenceWorker(this);
    m_explorer = new AttentionExplorer(this);
    connect(m_worker, &InferenceWorker::modelLoaded, this, &AnalysisController::onModelLoaded);
    connect(m_worker, &InferenceWorker::modelFailed, this, &AnalysisController::onModelFailed);
    connect(m_worker, &InferenceWorker::analysisStarted, this, &AnalysisController::onAnalysisStarted);
    connect(m_worker, &InferenceWorker::windowReady, this, &AnalysisController::onWindowReady);
    connect(m_worker, &InferenceWorker::progressChanged, this, &AnalysisController::onProgress);
    connect(m_worker, &InferenceWorker::analysisFinished, this, &AnalysisController::onFinished);
    connect(m_worker, &InferenceWorker::analysisFailed, this, &AnalysisController::onFailed);
    connect(m_worker, &InferenceWorker::fullSpatialReady, m_explorer,
            [this](quint64, int windowIndex, const FloatArray& maps) {
                m_explorer->setFullSpatial(windowIndex, maps);
            });
    connect(m_worker, &InferenceWorker::fullSpatialFailed, m_explorer,
            [this](quint64, int windowIndex, const Error& error) {
                m_explorer->setFullSpatialFailed(windowIndex, error.toString());
            });
    connect(m_explorer, &AttentionExplorer::fullSpatialNeeded, m_worker,
            &InferenceWorker::requestFullSpatial);
    connect(m_explorer, &AttentionExplorer::choicesChanged, this, &AnalysisController::overlayChoiceChanged);
    connect(m_views.progress, &ProgressArea::cancelRequested, this, &AnalysisController::cancel);
}

void AnalysisController::loadModel(const QString& source) {
    m_modelSource = source;
    m_modelLoaded = false;
    m_modelLoading = true;
    m_modelError.clear();
    m_analysing = false;
    resetResults();
    m_views.progress->start(tr("Loading model %1").arg(QFileInfo(source).fileName()));
    m_worker->loadModel(source);
}

void AnalysisController::setVideo(const QString& path, const QString& videoId, qint64 frameCount) {
    m_videoPath = path;
    m_videoId = videoId;
    m_frameCount = frameCount;
    m_playhead = 0;
    resetResults();
    if (m_modelLoaded)
        startAnalysis();
    else if (!m_modelError.isEmpty())
        Q_EMIT errorOccurred(m_modelError);
}

void AnalysisController::startAnalysis() {
    if (m_videoPath.isEmpty() || !m_modelLoaded)
        return;
    resetResults();
    m_worker->setPlayhead(m_playhead);
    m_worker->analyseVideo(m_videoPath);
    m_analysing = true;
    m_views.progress->start(tr("Analysing %1").arg(QFileInfo(m_videoPath).fileName()));
}

void AnalysisController::resetResults() {
    m_plan = {};
    m_results.clear();
    m_localization = {};
    m_currentWindow = -1;
    m_explorer->clearWindow();
    m_views.ribbon->clear();
    m_views.timeline->setAnalysedRanges({});
    m_views.timeline->setPendingRanges({});
    m_views.timeline->setSampledFrames({});
    m_views.labels->setTopK({});
    m_views.video->setCropBoxes({});
}

void AnalysisController::cancel() {
    if (!m_analysing && !m_modelLoading)
        return;
    m_worker->cancel();
    m_analysing = false;
    m_modelLoading = false;
    m_views.progress->finish();
    updateRanges();
}

void AnalysisController::onModelLoaded(quint64, const ModelSummary& summary) {
    m_model = summary;
    m_explorer->setModelShape(summary.layers, summary.heads);
    m_modelLoaded = true;
    m_modelLoading = false;
    m_views.progress->finish();
    // A project without labels takes the model's, so proposals and number keys have names.
    if (m_document && m_document->labels().isEmpty() && !summary.labels.isEmpty()) {
        if (Result<LabelSet> labels = LabelSet::fromNames(ActionLocalizer::actionLabels(summary.labels));
            labels.ok()) {
            if (m_document->setLabels(*labels).ok())
                m_document->undoStack()->clear();
        }
    }
    QVector<QColor> colors;
    const int background = TemporalDecoder::backgroundClassIndex(summary.labels);
    for (int index = 0; index < summary.labels.size(); ++index) {
        const Label* label = m_document ? m_document->labels().label(summary.labels[index]) : nullptr;
        // "Nothing happens" recedes, so the actions stand out in the ribbon.
        colors.append(index == background ? QColor(0xd8, 0xd8, 0xd8)
                      : label             ? label->color
                                          : LabelSet::defaultColor(index));
    }
    m_views.ribbon->setClasses(summary.labels, colors);
    Q_EMIT modelLoaded(summary);
    startAnalysis();
}

void AnalysisController::onModelFailed(quint64, const Error& error) {
    m_modelLoading = false;
    m_views.progress->finish();
    if (m_modelSource == QLatin1String("demo"))
        m_modelError = tr("No demo model found (%1). Train one with \u201csaccade-cli train\u201d, or start "
                          "Saccade with --model PATH.")
                           .arg(error.toString());
    else
        m_modelError = tr("Could not load the model %1. Use --model PATH with a TimeSformer checkpoint or "
                          "Hugging Face folder.")
                           .arg(error.toString());
    Q_EMIT errorOccurred(m_modelError);
}

void AnalysisController::onAnalysisStarted(const AnalysisPlan& plan) {
    m_plan = plan;
    updateRanges();
}

void AnalysisController::onWindowReady(const WindowResult& result) {
    m_results[result.windowIndex] = result;
    updateRanges();
    updateRibbon();
    const int shown = windowFor(m_playhead);
    if (shown != m_currentWindow)
        showWindow(shown);
    const TopClass best = result.top.empty() ? TopClass{} : result.top.front();
    Q_EMIT windowAnalysed(result.windowIndex, result.startFrame, result.endFrame, best.label,
                          best.probability);
}

void AnalysisController::onProgress(const AnalysisProgress& progress) {
    if (progress.totalWindows > 0)
        m_views.progress->setProgress(double(progress.doneWindows) / progress.totalWindows);
}

void AnalysisController::onFinished(quint64) {
    m_analysing = false;
    m_views.progress->finish();
    addProposals();
}

void AnalysisController::onFailed(quint64, const Error& error) {
    m_analysing = false;
    m_views.progress->finish();
    Q_EMIT errorOccurred(tr("The analysis stopped: %1").arg(error.toString()));
}

int AnalysisController::windowFor(qint64 frame) const {
    const int index = ClipAnalyzer::windowAt(m_plan.windows, frame);
    return m_results.count(index) > 0 ? index : -1;
}

void AnalysisController::setPlayhead(qint64 frame) {
    m_playhead = frame;
    if (m_analysing)
        m_worker->setPlayhead(frame);
    m_explorer->setPlayhead(frame);
    const int shown = windowFor(frame);
    if (shown != m_currentWindow)
        showWindow(shown);
}

void AnalysisController::showWindow(int windowIndex) {
    m_currentWindow = windowIndex;
    const auto found = m_results.find(windowIndex);
    if (found == m_results.end()) {
        m_views.timeline->setSampledFrames({});
        m_views.labels->setTopK({});
        m_views.video->setCropBoxes({});
        m_explorer->clearWindow();
        return;
    }
    const WindowResult& result = found->second;
    m_views.timeline->setSampledFrames(QVector<qint64>(result.frames.begin(), result.frames.end()));
    QVector<ClassScore> scores;
    for (const TopClass& top : result.top) {
        const Label* label = m_document ? m_document->labels().label(top.label) : nullptr;
        scores.append({top.label, top.probability,
                       label ? label->color : LabelSet::defaultColor(std::max(0, top.index))});
    }
    m_views.labels->setTopK(scores, tr("Window %1 \u00b7 frames %2\u2013%3")
                                        .arg(windowIndex + 1)
                                        .arg(result.startFrame)
                                        .arg(result.endFrame));
    QVector<QRectF> boxes;
    if (!result.cropBoxes.empty())
        boxes.append(QRectF(result.attentionBox()));
    m_views.video->setCropBoxes(boxes);
    m_explorer->setWindow(result);
}

OverlayRequest AnalysisController::overlayRequest() const {
    const ExplorerChoices& choices = m_explorer->choices();
    OverlayRequest request;
    request.layer = choices.layer;
    request.heads = {choices.head, choices.fusion};
    request.rollout = choices.source == AttentionSource::Rollout;
    request.style.colormap = choices.colormap;
    request.style.opacity = 1.0;
    return request;
}

int AnalysisController::layer() const {
    return m_explorer->choices().layer;
}

int AnalysisController::head() const {
    return m_explorer->choices().head;
}

void AnalysisController::setLayer(int layer) {
    m_explorer->setLayer(layer);
}

void AnalysisController::setHead(int head) {
    m_explorer->setHead(head);
}

void AnalysisController::stepLayer(int delta) {
    m_explorer->stepLayer(delta);
}

void AnalysisController::stepHead(int delta) {
    m_explorer->stepHead(delta);
}

void AnalysisController::updateRanges() {
    QVector<FrameRange> analysed;
    QVector<FrameRange> pending;
    for (int index = 0; index < static_cast<int>(m_plan.windows.size()); ++index) {
        const ClipWindow& window = m_plan.windows[index];
        const bool done = m_results.count(index) > 0;
        if (!done && !m_analysing)
            continue;
        QVector<FrameRange>& ranges = done ? analysed : pending;
        const FrameRange range{window.startFrame, window.endFrame + 1};
        if (!ranges.isEmpty() && range.start <= ranges.back().end)
            ranges.back().end = std::max(ranges.back().end, range.end);
        else
            ranges.append(range);
    }
    m_views.timeline->setAnalysedRanges(analysed);
    m_views.timeline->setPendingRanges(pending);
}

void AnalysisController::updateRibbon() {
    QVector<WindowProbabilities> windows;
    for (const auto& [index, result] : m_results) {
        windows.append({result.startFrame, result.endFrame + 1,
                        QVector<float>(result.probabilities.begin(), result.probabilities.end())});
    }
    m_views.ribbon->setWindows(windows);
}

void AnalysisController::repropose() {
    if (!m_analysing && !m_results.empty())
        addProposals();
}

void AnalysisController::addProposals() {
    if (!m_document || m_videoId.isEmpty() || !m_document->video(m_videoId) || m_results.empty())
        return;
    std::vector<WindowResult> windows;
    windows.reserve(m_results.size());
    for (const auto& [index, result] : m_results)
        windows.push_back(result);
    m_localization = ActionLocalizer::localize(windows, m_plan.frameCount, m_plan.fps, m_model.labels,
                                               m_localizationOptions);
    const std::vector<SegmentProposal>& proposals = m_localization.proposals;

    ProjectDocument& document = *m_document;
    // Proposals of an earlier run of this model that nobody reviewed give way to the new ones.
    QStringList stale;
    for (const Segment& segment : document.video(m_videoId)->segments) {
        if (segment.state == SegmentState::Proposed && segment.source.origin == SegmentOrigin::Model &&
            segment.source.modelHash == m_model.hash)
            stale.append(segment.id);
    }
    if (proposals.empty() && stale.isEmpty()) {
        Q_EMIT analysisFinished(0);
        return;
    }
    int added = 0;
    document.undoStack()->beginMacro(tr("Add %n proposal(s)", nullptr, int(proposals.size())));
    Status status;
    for (const QString& id : stale) {
        if (status.ok())
            status = document.removeSegment(m_videoId, id);
    }
    for (const SegmentProposal& proposal : proposals) {
        Segment segment;
        segment.startFrame = proposal.startFrame;
        segment.endFrame = proposal.endFrame;
        segment.label =
            m_model.labels.value(proposal.classIndex, QStringLiteral("class %1").arg(proposal.classIndex));
        segment.state = SegmentState::Proposed;
        segment.source.origin = SegmentOrigin::Model;
        segment.source.modelHash = m_model.hash;
        segment.source.confidence = proposal.confidence;
        if (status.ok() && !document.labels().contains(segment.label))
            status = document.addLabel(segment.label);
        if (!status.ok())
            break;
        const Result<QString> id = document.addSegment(m_videoId, segment);
        if (!id.ok()) {
            status = id.error();
            break;
        }
        ++added;
    }
    document.undoStack()->endMacro();
    if (!status.ok())
        Q_EMIT errorOccurred(tr("Could not add the proposals: %1").arg(status.error().toString()));
    Q_EMIT analysisFinished(added);
}

} // namespace saccade
