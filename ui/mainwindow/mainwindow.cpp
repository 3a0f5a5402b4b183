#include "ui/mainwindow/mainwindow.h"

#include "core/annotation/labelfilereader.h"
#include "core/annotation/projectstore.h"
#include "core/annotation/videolistmodel.h"
#include "core/export/datasetexport.h"
#include "core/export/exportjob.h"
#include "core/media/decodeworker.h"
#include "ui/analysis/analysiscontroller.h"
#include "ui/analysis/attentionexplorer.h"
#include "ui/analysis/attentiongrid.h"
#include "ui/analysis/attentionpanel.h"
#include "ui/analysis/explorerbinding.h"
#include "ui/analysis/patchattentionpanel.h"
#include "ui/export/exportdialog.h"
#include "ui/keys/commandactions.h"
#include "ui/keys/keymapdialog.h"
#include "ui/labels/labelspanel.h"
#include "ui/mainwindow/appicon.h"
#include "ui/mainwindow/demovideotask.h"
#include "ui/mainwindow/messagebar.h"
#include "ui/mainwindow/progressarea.h"
#include "ui/model/modeltools.h"
#include "ui/review/explorertools.h"
#include "ui/settings/appsettings.h"
#include "ui/timeline/probabilityribbon.h"
#include "ui/timeline/thumbnailloader.h"
#include "ui/timeline/timelineview.h"
#include "ui/transport/transportbar.h"
#include "ui/video/videoview.h"

#include <QAction>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QStyle>
#include <QTableView>
#include <QLabel>
#include <QMenuBar>
#include <QMimeData>
#include <QStatusBar>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>
#include <cmath>

namespace saccade {

namespace {

const QString kVideoFilter =
    QStringLiteral("*.mp4 *.mkv *.webm *.mov *.avi *.m4v *.mpg *.mpeg *.ts *.wmv *.flv");

} // namespace

MainWindow::MainWindow(AppSettings& settings, QWidget* parent)
    : QMainWindow(parent), m_settings(settings), m_untitled(std::make_unique<ProjectDocument>()),
      m_document(m_untitled.get()) {
    setObjectName(QStringLiteral("MainWindow"));
    setAcceptDrops(true);
    setWindowIcon(appIcon());
    setDockNestingEnabled(true);

    auto* central = new QWidget(this);
    m_messageBar = new MessageBar(central);
    m_videoView = new VideoView(central);
    m_transport = new TransportBar(central);
    auto* centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(0);
    auto* messageHolder = new QVBoxLayout;
    messageHolder->setContentsMargins(6, 6, 6, 0);
    messageHolder->addWidget(m_messageBar);
    centralLayout->addLayout(messageHolder);
    centralLayout->addWidget(m_videoView, 1);
    centralLayout->addWidget(m_transport);
    setCentralWidget(central);

    m_progress = new ProgressArea(this);
    m_videoInfoLabel = new QLabel(this);
    statusBar()->addWidget(m_videoInfoLabel, 1);
    statusBar()->addPermanentWidget(m_progress);
    // Exports get their own progress so Cancel there never stops the analysis.
    m_exportProgress = new ProgressArea(this);
    statusBar()->addPermanentWidget(m_exportProgress);
    m_exportJob = new ExportJob(this);
    connect(m_exportJob, &ExportJob::progressChanged, m_exportProgress, &ProgressArea::setProgress);
    connect(m_exportProgress, &ProgressArea::cancelRequested, m_exportJob, &ExportJob::cancel);
    connect(m_exportJob, &ExportJob::finished, this, [this](const ExportSummary& summary) {
        m_exportProgress->finish();
        QString text = tr("Exported %n segment(s) to %1", nullptr, summary.segments)
                           .arg(QDir::toNativeSeparators(summary.outputDirectory));
        for (const QString& note : summary.notes)
            text += QLatin1Char('\n') + note;
        // Warnings name what the files leave out (AVA segments without a keyframe, ...).
        if (summary.warnings.isEmpty())
            showInformation(text);
        else
            m_messageBar->showMessage(MessageBar::Kind::Warning,
                                      text + QLatin1Char('\n') + summary.warnings.join(QLatin1Char('\n')));
        Q_EMIT exportDone(true);
    });
    m_demoTask = new DemoVideoTask(this);
    connect(m_exportProgress, &ProgressArea::cancelRequested, m_demoTask, &DemoVideoTask::cancel);
    connect(m_demoTask, &DemoVideoTask::progressChanged, m_exportProgress, &ProgressArea::setProgress);
    connect(m_demoTask, &DemoVideoTask::finished, this, [this](const QString& path) {
        m_exportProgress->finish();
        openVideo(path);
    });
    connect(m_demoTask, &DemoVideoTask::failed, this, [this](const Error& error) {
        m_exportProgress->finish();
        m_videoView->clear(tr("Open a video with Ctrl+O, or drop one here"));
        if (error.category != ErrorCategory::Cancelled)
            showError(tr("Could not create the demo video: %1").arg(error.toString()));
    });
    connect(m_exportJob, &ExportJob::failed, this, [this](const Error& error) {
        m_exportProgress->finish();
        if (error.category == ErrorCategory::Cancelled)
            showInformation(tr("Export cancelled; the output folder was left as it was."));
        else
            showError(tr("Export failed: %1").arg(error.toString()));
        Q_EMIT exportDone(false);
    });

    m_actions = new CommandActions(this);
    connect(m_actions, &CommandActions::commandTriggered, this, &MainWindow::handleCommand);

    buildDocks();
    buildMenus();

    connect(m_transport, &TransportBar::playPauseRequested, this, &MainWindow::togglePlay);
    connect(m_transport, &TransportBar::stepRequested, this, [this](int frames) { stepBy(frames); });
    connect(m_transport, &TransportBar::seekRequested, this, &MainWindow::seekTo);
    connect(m_transport, &TransportBar::speedRequested, this,
            [this](double speed) { setRate(m_playing && m_rate < 0 ? -speed : speed); });
    connect(m_videoView, &VideoView::stepRequested, this, [this](int frames) { stepBy(frames); });
    connect(m_timeline, &TimelineView::seekRequested, this, &MainWindow::seekTo);
    connect(m_timeline, &TimelineView::visibleRangeChanged, m_ribbon, &ProbabilityRibbon::setVisibleRange);
    connect(m_timeline, &TimelineView::segmentSelected, this, &MainWindow::selectSegment);
    connect(m_timeline, &TimelineView::segmentResizeRequested, this,
            [this](const QString& id, qint64 start, qint64 end) {
                const VideoEntry* video = m_document->video(m_videoId);
                const Segment* segment = video ? video->segment(id) : nullptr;
                if (!segment)
                    return;
                Segment resized = *segment;
                resized.startFrame = start;
                resized.endFrame = end;
                if (resized.state == SegmentState::Proposed || resized.state == SegmentState::Accepted)
                    resized.state =
                        resized.source.origin == SegmentOrigin::Model ? SegmentState::Edited : resized.state;
                reportStatus(m_document->updateSegment(m_videoId, resized, true));
            });
    connect(m_timeline, &TimelineView::deleteRequested, this,
            [this](const QString& id) { reportStatus(m_document->removeSegment(m_videoId, id)); });
    connect(m_labels, &LabelsPanel::labelActivated, this, [this](const QString& name) {
        m_currentLabel = name;
        const QString id = targetSegment();
        if (!id.isEmpty())
            reportStatus(m_document->setSegmentLabel(m_videoId, id, name));
    });
    connect(m_timeline, &TimelineView::splitRequested, this, &MainWindow::splitSegment);
    connect(m_timeline, &TimelineView::mergeWithNextRequested, this, &MainWindow::mergeWithNext);
    connect(m_timeline, &TimelineView::loopRequested, this, &MainWindow::toggleLoop);
    connect(m_messageBar, &MessageBar::dismissed, this, [this] { m_videoView->setFocus(); });

    m_analysis =
        new AnalysisController({m_videoView, m_timeline, m_ribbon, m_labels, m_progress}, m_document, this);
    connect(m_analysis, &AnalysisController::errorOccurred, this, &MainWindow::showError);
    m_explorerTools->setAnalysis(m_analysis);
    m_modelTools->setAnalysis(m_analysis);
    connect(m_explorerTools, &ExplorerTools::seekRequested, this, &MainWindow::seekTo);
    connect(m_analysis, &AnalysisController::modelLoaded, this, [this](const ModelSummary& summary) {
        m_attention->setModelShape(summary.layers, summary.heads);
    });
    m_explorerBinding =
        new ExplorerBinding(m_analysis->explorer(),
                            {m_videoView, m_attention, m_attentionGrid, m_patchAttention}, &m_settings, this);
    // The patch panel comes up the first time a patch is picked.
    connect(m_analysis->explorer(), &AttentionExplorer::patchChanged, this, [this] {
        if (m_analysis->explorer()->patch().isValid() && !m_patchDock->isVisible() && !m_patchDockShown) {
            m_patchDockShown = true;
            m_patchDock->show();
        }
    });
    connect(m_analysis, &AnalysisController::analysisFinished, this, [this](int proposals) {
        statusBar()->showMessage(
            tr("Analysis done: %n proposal(s) to review (A accepts, X rejects)", nullptr, proposals), 5000);
    });
    connect(m_attention, &AttentionPanel::opacityRequested, this, [this](double opacity) {
        m_videoView->setOverlayOpacity(opacity);
        m_settings.setOverlayOpacity(opacity);
    });

    m_reverseTimer = new QTimer(this);
    m_reverseTimer->setInterval(40);
    connect(m_reverseTimer, &QTimer::timeout, this, &MainWindow::reverseTick);

    m_thumbnails = new ThumbnailLoader(this);
    connect(m_thumbnails, &ThumbnailLoader::thumbnailReady, m_timeline, &TimelineView::setThumbnail);
    // Zooming and scrolling fire many changes; decode for where the view settles.
    m_thumbnailTimer = new QTimer(this);
    m_thumbnailTimer->setSingleShot(true);
    m_thumbnailTimer->setInterval(150);
    connect(m_thumbnailTimer, &QTimer::timeout, this, &MainWindow::requestThumbnails);
    connect(m_timeline, &TimelineView::wantedThumbnailsChanged, m_thumbnailTimer,
            qOverload<>(&QTimer::start));

    m_decodeThread.setObjectName(QStringLiteral("decode"));
    m_worker = new DecodeWorker;
    m_worker->moveToThread(&m_decodeThread);
    connect(m_worker, &DecodeWorker::opened, this, &MainWindow::onOpened, Qt::QueuedConnection);
    connect(m_worker, &DecodeWorker::frameCountSettled, this, &MainWindow::onFrameCountSettled,
            Qt::QueuedConnection);
    connect(m_worker, &DecodeWorker::frameReady, this, &MainWindow::onFrame, Qt::QueuedConnection);
    connect(m_worker, &DecodeWorker::playingChanged, this, &MainWindow::onPlayingChanged,
            Qt::QueuedConnection);
    connect(m_worker, &DecodeWorker::errorOccurred, this, &MainWindow::onDecodeError, Qt::QueuedConnection);
    connect(m_videoView, &VideoView::idealImageSizeChanged, this,
            [this](QSize size) { m_worker->setTargetSize(size); });
    m_decodeThread.start();

    restoreSettings();
    attachDocument(m_document);
}

MainWindow::~MainWindow() {
    m_decodeThread.quit();
    m_decodeThread.wait();
    // The worker's thread has stopped, so nothing can run on it any more.
    delete m_worker;
}

void MainWindow::buildDocks() {
    auto* timelineHolder = new QWidget(this);
    m_timeline = new TimelineView(timelineHolder);
    m_ribbon = new ProbabilityRibbon(timelineHolder);
    auto* timelineLayout = new QVBoxLayout(timelineHolder);
    timelineLayout->setContentsMargins(0, 0, 0, 0);
    timelineLayout->setSpacing(0);
    timelineLayout->addWidget(m_timeline);
    timelineLayout->addWidget(m_ribbon);
    auto* timelineDock = new QDockWidget(tr("Timeline"), this);
    timelineDock->setObjectName(QStringLiteral("TimelineDock"));
    timelineDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                              QDockWidget::DockWidgetClosable);
    timelineDock->setWidget(timelineHolder);
    addDockWidget(Qt::BottomDockWidgetArea, timelineDock);

    m_labels = new LabelsPanel(this);
    auto* labelsDock = new QDockWidget(tr("Labels"), this);
    labelsDock->setObjectName(QStringLiteral("LabelsDock"));
    labelsDock->setWidget(m_labels);
    addDockWidget(Qt::RightDockWidgetArea, labelsDock);
    m_labels->setLabels({});

    auto* videoTable = new QTableView(this);
    m_videoTable = videoTable;
    videoTable->setObjectName(QStringLiteral("VideoList"));
    videoTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    videoTable->setSelectionMode(QAbstractItemView::SingleSelection);
    videoTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    videoTable->verticalHeader()->hide();
    videoTable->horizontalHeader()->setStretchLastSection(true);
    // A click selects and opens; Enter on a row does the same.
    for (auto signal : {&QTableView::clicked, &QTableView::activated}) {
        connect(videoTable, signal, this, [this](const QModelIndex& index) {
            openVideoEntry(index.data(VideoListModel::VideoIdRole).toString());
        });
    }
    auto* videosDock = new QDockWidget(tr("Videos"), this);
    videosDock->setObjectName(QStringLiteral("VideosDock"));
    videosDock->setWidget(videoTable);
    addDockWidget(Qt::LeftDockWidgetArea, videosDock);

    m_attention = new AttentionPanel(this);
    auto* attentionDock = new QDockWidget(tr("Attention"), this);
    attentionDock->setObjectName(QStringLiteral("AttentionDock"));
    // The controls scroll rather than make the window taller than a small screen.
    auto* attentionScroll = new QScrollArea(this);
    attentionScroll->setWidget(m_attention);
    attentionScroll->setWidgetResizable(true);
    attentionScroll->setFrameShape(QFrame::NoFrame);
    attentionScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    attentionDock->setWidget(attentionScroll);
    m_attentionDock = attentionDock;
    addDockWidget(Qt::RightDockWidgetArea, attentionDock);

    // Review queue, faithfulness check and view export, and the model dock.
    m_explorerTools = new ExplorerTools(this);
    m_modelTools = new ModelTools(this);

    m_attentionGrid = new AttentionGrid(this);
    auto* gridDock = new QDockWidget(tr("Layers \u00d7 Heads"), this);
    gridDock->setObjectName(QStringLiteral("AttentionGridDock"));
    gridDock->setWidget(m_attentionGrid);
    // Under the Videos dock, where the column has room for a grid.
    addDockWidget(Qt::LeftDockWidgetArea, gridDock);
    m_gridDock = gridDock;

    // The right column runs down to the status bar, so the attention controls keep their height when
    // the patch panel opens below.
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);

    m_patchAttention = new PatchAttentionPanel(this);
    m_patchDock = new QDockWidget(tr("Patch Attention"), this);
    m_patchDock->setObjectName(QStringLiteral("PatchAttentionDock"));
    m_patchDock->setWidget(m_patchAttention);
    addDockWidget(Qt::BottomDockWidgetArea, m_patchDock);
    // Under the timeline, not beside it: the timeline keeps the window's width.
    splitDockWidget(timelineDock, m_patchDock, Qt::Vertical);
    m_patchDock->hide();
}

void MainWindow::buildMenus() {
    auto add = [this](QMenu* menu, Command command) {
        menu->addAction(m_actions->action(command));
    };

    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New Project"), this, [this] { newProject(); });
    file->addAction(tr("Open &Project\u2026"), this, [this] {
        const QString path =
            QFileDialog::getOpenFileName(this, tr("Open Project"), m_settings.lastOpenDirectory(),
                                         tr("Saccade projects (*.saccade);;All files (*)"));
        if (!path.isEmpty())
            openProject(path);
    });
    add(file, Command::OpenVideo);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    m_modelTools->addFileActions(file);
    file->addSeparator();
    QAction* save = file->addAction(tr("&Save Project"), this, [this] { saveProject(); });
    save->setShortcut(QKeySequence::Save);
    QAction* saveAs = file->addAction(tr("Save Project &As\u2026"), this, [this] { saveProjectAs(); });
    saveAs->setShortcut(QKeySequence::SaveAs);
    file->addAction(tr("&Export Dataset\u2026"), this, &MainWindow::chooseExport);
    m_explorerTools->addFileActions(file);
    file->addSeparator();
    add(file, Command::Preferences);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    add(edit, Command::Undo);
    add(edit, Command::Redo);

    QMenu* playback = menuBar()->addMenu(tr("&Playback"));
    for (Command command : {Command::PlayPause, Command::ShuttleBackward, Command::ShuttleForward}) {
        add(playback, command);
    }
    playback->addSeparator();
    for (Command command : {Command::PreviousFrame, Command::NextFrame, Command::BackOneSecond,
                            Command::ForwardOneSecond, Command::GoToStart, Command::GoToEnd}) {
        add(playback, command);
    }
    playback->addSeparator();
    for (Command command : {Command::SpeedDown, Command::SpeedUp, Command::SpeedReset})
        add(playback, command);

    QMenu* segments = menuBar()->addMenu(tr("&Segments"));
    for (Command command : {Command::MarkIn, Command::MarkOut, Command::CreateSegment})
        add(segments, command);
    segments->addSeparator();
    for (Command command : {Command::PreviousSegment, Command::NextSegment, Command::SplitSegment,
                            Command::MergeSegment, Command::DeleteSegment, Command::LoopSegment}) {
        add(segments, command);
    }
    QMenu* labelMenu = segments->addMenu(tr("Apply &Label"));
    for (int index = 0; index < 10; ++index)
        add(labelMenu, static_cast<Command>(static_cast<int>(Command::Label1) + index));

    QMenu* review = menuBar()->addMenu(tr("&Review"));
    for (Command command :
         {Command::AcceptProposal, Command::RejectProposal, Command::NextReview, Command::PreviousReview})
        add(review, command);
    m_explorerTools->addReviewActions(review);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QAction* overlay = m_actions->action(Command::ToggleOverlay);
    overlay->setCheckable(true);
    overlay->setChecked(true);
    add(view, Command::ToggleOverlay);
    for (Command command :
         {Command::PreviousLayer, Command::NextLayer, Command::PreviousHead, Command::NextHead}) {
        add(view, command);
    }
    view->addSeparator();
    for (Command command : {Command::ZoomIn, Command::ZoomOut, Command::ZoomFit})
        add(view, command);
    QAction* hud = view->addAction(tr("Show Frame &Info"));
    hud->setCheckable(true);
    hud->setChecked(m_settings.hudVisible());
    connect(hud, &QAction::toggled, this, [this](bool visible) {
        m_videoView->setHudVisible(visible);
        m_settings.setHudVisible(visible);
    });
    view->addSeparator();
    for (QDockWidget* dock : findChildren<QDockWidget*>())
        view->addAction(dock->toggleViewAction());
    updateRecentMenu();
}

void MainWindow::restoreSettings() {
    m_keyMap.applyOverrides(m_settings.keyBindings());
    m_actions->applyKeyMap(m_keyMap);
    m_rate = m_settings.playbackSpeed();
    m_transport->setSpeed(m_rate);
    m_videoView->setHudVisible(m_settings.hudVisible());
    m_videoView->setOverlayOpacity(m_settings.overlayOpacity());
    m_attention->setOpacity(m_settings.overlayOpacity());
    const QByteArray geometry = m_settings.windowGeometry();
    if (geometry.isEmpty() || !restoreGeometry(geometry))
        resize(1400, 900);
    if (!restoreState(m_settings.windowState())) {
        // First run: room for the layers x heads grid in the left column.
        resizeDocks({m_gridDock}, {300}, Qt::Horizontal);
        resizeDocks({m_gridDock}, {400}, Qt::Vertical);
        // And for every attention control and the colour bar without scrolling.
        resizeDocks({m_attentionDock}, {m_attention->sizeHint().height() + 40}, Qt::Vertical);
        resizeDocks({m_attentionDock},
                    {m_attention->sizeHint().width() + style()->pixelMetric(QStyle::PM_ScrollBarExtent) + 8},
                    Qt::Horizontal);
    }
}

void MainWindow::setKeyMap(const KeyMap& keyMap) {
    m_keyMap = keyMap;
    m_actions->applyKeyMap(m_keyMap);
    m_settings.setKeyBindings(m_keyMap.overrides());
}

void MainWindow::showError(const QString& text) {
    m_messageBar->showMessage(MessageBar::Kind::Error, text);
}

void MainWindow::showInformation(const QString& text) {
    m_messageBar->showMessage(MessageBar::Kind::Information, text);
}

void MainWindow::handleCommand(Command command) {
    const qint64 oneSecond = std::max<qint64>(1, qint64(std::llround(m_frameRate.framesPerSecond())));
    switch (command) {
    case Command::PlayPause:
        togglePlay();
        break;
    case Command::ShuttleForward:
        m_shuttle.setRate(m_playing ? m_rate : 0.0);
        m_playing = true;
        setRate(m_shuttle.forward());
        break;
    case Command::ShuttleBackward:
        m_shuttle.setRate(m_playing ? m_rate : 0.0);
        m_playing = true;
        setRate(m_shuttle.backward());
        break;
    case Command::PreviousFrame:
        stepBy(-1);
        break;
    case Command::NextFrame:
        stepBy(1);
        break;
    case Command::BackOneSecond:
        stepBy(-oneSecond);
        break;
    case Command::ForwardOneSecond:
        stepBy(oneSecond);
        break;
    case Command::GoToStart:
        seekTo(0);
        break;
    case Command::GoToEnd:
        seekTo(m_frameCount - 1);
        break;
    case Command::SpeedDown:
        changeSpeed(-1);
        break;
    case Command::SpeedUp:
        changeSpeed(1);
        break;
    case Command::SpeedReset:
        setRate(m_rate < 0 ? -1.0 : 1.0);
        break;
    case Command::MarkIn:
        setMarks(m_currentFrame, m_markOut >= m_currentFrame ? m_markOut : -1);
        break;
    case Command::MarkOut:
        setMarks(m_markIn >= 0 && m_markIn <= m_currentFrame ? m_markIn : -1, m_currentFrame);
        break;
    case Command::CreateSegment:
        createSegmentFromMarks();
        break;
    case Command::Label1:
    case Command::Label2:
    case Command::Label3:
    case Command::Label4:
    case Command::Label5:
    case Command::Label6:
    case Command::Label7:
    case Command::Label8:
    case Command::Label9:
    case Command::Label10:
        applyLabelKey((static_cast<int>(command) - static_cast<int>(Command::Label1) + 1) % 10);
        break;
    case Command::AcceptProposal:
        if (!targetSegment().isEmpty())
            reportStatus(m_document->acceptSegment(m_videoId, targetSegment()));
        break;
    case Command::RejectProposal:
        if (!targetSegment().isEmpty())
            reportStatus(m_document->rejectSegment(m_videoId, targetSegment()));
        break;
    case Command::NextReview:
        m_explorerTools->stepReview(1);
        break;
    case Command::PreviousReview:
        m_explorerTools->stepReview(-1);
        break;
    case Command::DeleteSegment:
        if (!targetSegment().isEmpty())
            reportStatus(m_document->removeSegment(m_videoId, targetSegment()));
        break;
    case Command::SplitSegment:
        splitSegment(targetSegment(), m_currentFrame);
        break;
    case Command::MergeSegment:
        mergeWithNext(targetSegment());
        break;
    case Command::LoopSegment:
        toggleLoop(targetSegment());
        break;
    case Command::PreviousSegment:
        jumpToSegment(-1);
        break;
    case Command::NextSegment:
        jumpToSegment(1);
        break;
    case Command::Undo:
        m_document->undoStack()->undo();
        break;
    case Command::Redo:
        m_document->undoStack()->redo();
        break;
    case Command::ToggleOverlay:
        m_videoView->setOverlayVisible(m_actions->action(Command::ToggleOverlay)->isChecked());
        break;
    case Command::PreviousLayer:
        m_analysis->stepLayer(-1);
        break;
    case Command::NextLayer:
        m_analysis->stepLayer(1);
        break;
    case Command::PreviousHead:
        m_analysis->stepHead(-1);
        break;
    case Command::NextHead:
        m_analysis->stepHead(1);
        break;
    case Command::ZoomIn:
        m_videoView->zoomIn();
        break;
    case Command::ZoomOut:
        m_videoView->zoomOut();
        break;
    case Command::ZoomFit:
        m_videoView->fitToWindow();
        break;
    case Command::OpenVideo:
        chooseVideo();
        break;
    case Command::Preferences:
        editKeyMap();
        break;
    default:
        break;
    }
    Q_EMIT commandHandled(command);
}

void MainWindow::editKeyMap() {
    KeyMapDialog dialog(m_keyMap, this);
    if (dialog.exec() == QDialog::Accepted)
        setKeyMap(dialog.keyMap());
}

void MainWindow::chooseVideo() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Video"), m_settings.lastOpenDirectory(),
                                                      tr("Videos (%1);;All files (*)").arg(kVideoFilter));
    if (!path.isEmpty())
        openVideo(path);
}

void MainWindow::updateRecentMenu() {
    m_recentMenu->clear();
    const QStringList files = m_settings.recentFiles();
    for (const QString& path : files) {
        QAction* action =
            m_recentMenu->addAction(QFileInfo(path).fileName(), this, [this, path] { openVideo(path); });
        action->setToolTip(path);
    }
    if (!files.isEmpty()) {
        m_recentMenu->addSeparator();
        m_recentMenu->addAction(tr("Clear List"), this, [this] {
            m_settings.clearRecentFiles();
            updateRecentMenu();
        });
    }
    m_recentMenu->setEnabled(!files.isEmpty());
}

void MainWindow::updateWindowTitle() {
    // "[*]" is where Qt shows the modified marker.
    const QString project =
        m_store ? QFileInfo(m_store->path()).completeBaseName() + QStringLiteral("[*]") : tr("Untitled[*]");
    setWindowTitle(
        m_videoPath.isEmpty()
            ? QStringLiteral("%1 \u2014 Saccade").arg(project)
            : QStringLiteral("%1 \u2014 %2 \u2014 Saccade").arg(project, QFileInfo(m_videoPath).fileName()));
    setWindowModified(hasUnsavedChanges());
}

bool MainWindow::hasUnsavedChanges() const {
    if (m_store)
        return m_store->hasUnsavedChanges();
    return !m_untitled->undoStack()->isClean();
}

void MainWindow::attachDocument(ProjectDocument* document) {
    if (m_document)
        disconnect(m_document, nullptr, this, nullptr);
    m_document = document;
    connect(m_document, &ProjectDocument::modified, this, &MainWindow::refreshSegments);
    connect(m_document, &ProjectDocument::labelsChanged, this, &MainWindow::refreshLabels);
    connect(m_document, &ProjectDocument::modified, this, &MainWindow::updateWindowTitle);
    // The list model is bound to one document for its lifetime.
    VideoListModel* previousList = m_videoList;
    m_videoList = new VideoListModel(m_document, this);
    m_videoTable->setModel(m_videoList);
    delete previousList;
    m_analysis->setDocument(m_document);
    m_selectedSegment.clear();
    m_videoId.clear();
    for (const VideoEntry& video : m_document->videos()) {
        if (video.path == m_videoPath)
            m_videoId = video.id;
    }
    refreshLabels();
    updateWindowTitle();
}

bool MainWindow::maybeSave() {
    if (!hasUnsavedChanges())
        return true;
    const QMessageBox::StandardButton answer = QMessageBox::question(
        this, tr("Save Project"), tr("The project has unsaved changes. Save them?"),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Cancel)
        return false;
    return answer == QMessageBox::Discard || saveProject();
}

bool MainWindow::newProject() {
    if (!maybeSave())
        return false;
    std::unique_ptr<ProjectDocument> previous =
        std::exchange(m_untitled, std::make_unique<ProjectDocument>());
    attachDocument(m_untitled.get());
    m_store.reset();
    updateWindowTitle();
    return true;
}

bool MainWindow::openProject(const QString& path) {
    if (!maybeSave())
        return false;
    RecoveryChoice choice = RecoveryChoice::Keep;
    const RecoveryInfo recovery = ProjectStore::recoveryInfo(path);
    if (recovery.available) {
        QMessageBox box(QMessageBox::Question, tr("Recover Project"),
                        tr("%1 has changes autosaved at %2 that were never saved. Recover them?")
                            .arg(QFileInfo(path).fileName(),
                                 QLocale().toString(recovery.autosaveModified, QLocale::ShortFormat)),
                        QMessageBox::NoButton, this);
        QPushButton* recover = box.addButton(tr("Recover"), QMessageBox::AcceptRole);
        box.addButton(tr("Discard"), QMessageBox::DestructiveRole);
        box.setDefaultButton(recover);
        box.exec();
        choice = box.clickedButton() == recover ? RecoveryChoice::Recover : RecoveryChoice::Discard;
    }
    Result<std::unique_ptr<ProjectStore>> opened = ProjectStore::open(path, choice);
    if (!opened) {
        showError(tr("Could not open the project %1").arg(opened.error().toString()));
        return false;
    }
    std::unique_ptr<ProjectStore> previous = std::move(m_store);
    m_store = std::move(*opened);
    connect(m_store.get(), &ProjectStore::unsavedChangesChanged, this, &MainWindow::updateWindowTitle);
    connect(m_store.get(), &ProjectStore::autosaveFailed, this,
            [this](const Error& error) { showError(tr("Autosave failed: %1").arg(error.toString())); });
    attachDocument(m_store->document());
    previous.reset();
    m_settings.setLastOpenDirectory(QFileInfo(path).absolutePath());
    if (!m_document->videos().empty())
        openVideoEntry(m_document->videos().front().id);
    return true;
}

bool MainWindow::saveProject() {
    if (!m_store)
        return saveProjectAs();
    const Status saved = m_store->save();
    if (!saved) {
        showError(tr("Could not save the project: %1").arg(saved.error().toString()));
        return false;
    }
    statusBar()->showMessage(tr("Saved %1").arg(QFileInfo(m_store->path()).fileName()), 3000);
    updateWindowTitle();
    return true;
}

bool MainWindow::saveProjectAs(const QString& chosen) {
    QString path = chosen;
    if (path.isEmpty()) {
        path = QFileDialog::getSaveFileName(this, tr("Save Project As"), m_settings.lastOpenDirectory(),
                                            tr("Saccade projects (*.saccade)"));
        if (path.isEmpty())
            return false;
        if (QFileInfo(path).suffix().isEmpty())
            path += QStringLiteral(".saccade");
    }
    // create() refuses to replace a file; the dialog has already asked about overwriting.
    if (QFileInfo::exists(path) && (!m_store || QFileInfo(m_store->path()) != QFileInfo(path)))
        QFile::remove(path);
    const ProjectData data = m_document->data();
    std::unique_ptr<ProjectStore> previous = std::move(m_store);
    previous.reset(); // Releases the old project's lock before the new one is taken.
    Result<std::unique_ptr<ProjectStore>> created = ProjectStore::create(path, data);
    if (!created) {
        showError(tr("Could not save the project: %1").arg(created.error().toString()));
        m_untitled = std::make_unique<ProjectDocument>();
        m_untitled->reset(data);
        attachDocument(m_untitled.get());
        return false;
    }
    m_store = std::move(*created);
    connect(m_store.get(), &ProjectStore::unsavedChangesChanged, this, &MainWindow::updateWindowTitle);
    connect(m_store.get(), &ProjectStore::autosaveFailed, this,
            [this](const Error& error) { showError(tr("Autosave failed: %1").arg(error.toString())); });
    attachDocument(m_store->document());
    m_untitled->reset({});
    statusBar()->showMessage(tr("Saved %1").arg(QFileInfo(path).fileName()), 3000);
    return true;
}

void MainWindow::openDemo() {
    const QString path = DemoVideoComposer::cachedVideoPath();
    if (QFileInfo::exists(path)) {
        openVideo(path);
        return;
    }
    if (!m_demoTask->start(path))
        return;
    m_videoView->clear(tr("Creating the demo video: two minutes of synthetic actions\u2026"));
    m_exportProgress->start(tr("Creating the demo video"));
}

void MainWindow::chooseExport() {
    const QString base = m_store ? QFileInfo(m_store->path()).absolutePath() : m_settings.lastOpenDirectory();
    ExportDialog dialog(QDir(base).filePath(QStringLiteral("export")), this);
    if (dialog.exec() == QDialog::Accepted)
        startExport(dialog.options(), dialog.splitRatios(), dialog.seed());
}

bool MainWindow::startExport(ExportOptions options, std::optional<SplitRatios> ratios, quint64 seed) {
    if (m_exportJob->isRunning()) {
        showInformation(tr("An export is already running."));
        return false;
    }
    ProjectData data = m_document->data();
    if (ratios) {
        const Result<QHash<QString, Split>> splits = SplitAssigner::assign(data, *ratios, seed);
        if (!splits) {
            showError(tr("Could not assign splits: %1").arg(splits.error().toString()));
            return false;
        }
        for (VideoEntry& video : data.videos)
            video.split = splits->value(video.id, Split::Unassigned);
    }
    m_exportProgress->start(tr("Exporting %1").arg(exportFormatName(options.format)));
    if (!m_exportJob->start(std::move(data), std::move(options))) {
        m_exportProgress->finish();
        return false;
    }
    return true;
}

void MainWindow::openVideoEntry(const QString& videoId) {
    const VideoEntry* video = m_document->video(videoId);
    if (!video)
        return;
    if (video->path == m_videoPath && m_videoId == videoId)
        return;
    openVideo(video->path);
}

void MainWindow::seekTo(qint64 frame) {
    if (m_frameCount <= 0)
        return;
    frame = std::clamp<qint64>(frame, 0, m_frameCount - 1);
    // Show the target at once so repeated keys accumulate from it, not from the last decoded frame.
    showPosition(frame);
    m_worker->seek(frame);
}

void MainWindow::stepBy(qint64 frames) {
    if (m_frameCount <= 0)
        return;
    m_reverseTimer->stop();
    m_shuttle.stop();
    const qint64 target = std::clamp<qint64>(m_currentFrame + frames, 0, m_frameCount - 1);
    if (m_playing)
        m_worker->pause();
    showPosition(target);
    m_worker->seek(target);
    m_worker->pause();
}

void MainWindow::togglePlay() {
    if (m_frameCount <= 0)
        return;
    m_shuttle.stop();
    if (m_playing) {
        m_reverseTimer->stop();
        m_worker->pause();
        onPlayingChanged(false);
        return;
    }
    if (m_rate < 0)
        m_rate = -m_rate;
    m_transport->setSpeed(m_rate);
    m_worker->setSpeed(m_rate);
    m_worker->play();
}

void MainWindow::requestThumbnails() {
    if (m_videoPath.isEmpty() || m_frameCount <= 0)
        return;
    QVector<qint64> missing;
    for (qint64 frame : m_timeline->wantedThumbnailFrames()) {
        if (!m_timeline->hasThumbnail(frame))
            missing.append(frame);
    }
    if (!missing.isEmpty())
        m_thumbnails->request(m_videoPath, missing, QSize(160, TimelineView::kFilmstripHeight));
}

void MainWindow::reverseTick() {
    if (m_currentFrame <= 0) {
        m_reverseTimer->stop();
        onPlayingChanged(false);
        return;
    }
    const double framesPerTick =
        m_frameRate.framesPerSecond() * std::abs(m_rate) * m_reverseTimer->interval() / 1000.0;
    const qint64 target =
        std::max<qint64>(0, m_currentFrame - std::max<qint64>(1, std::llround(framesPerTick)));
    showPosition(target);
    m_worker->seek(target);
}

void MainWindow::setRate(double rate) {
    const double magnitude =
        std::clamp(std::abs(rate), AppSettings::kMinPlaybackSpeed, AppSettings::kMaxPlaybackSpeed);
    m_rate = rate < 0 ? -magnitude : magnitude;
    m_shuttle.setRate(m_playing ? m_rate : 0.0);
    m_transport->setSpeed(m_rate);
    if (m_frameCount > 0) {
        m_worker->setSpeed(magnitude);
        if (m_playing || m_shuttle.rate() != 0.0 || m_reverseTimer->isActive()) {
            // Direction changes switch between the worker's playback and the reverse stepper.
            if (m_rate < 0) {
                m_worker->pause();
                m_reverseTimer->start();
                onPlayingChanged(true);
            } else {
                m_reverseTimer->stop();
                m_worker->play();
            }
        }
    }
    m_settings.setPlaybackSpeed(magnitude);
    statusBar()->showMessage(tr("Speed %1\u00d7").arg(QString::number(m_rate, 'g', 4)), 1500);
}

void MainWindow::changeSpeed(int direction) {
    const QVector<double>& steps = TransportBar::speedSteps();
    const double magnitude = std::abs(m_rate);
    double next = magnitude;
    if (direction > 0) {
        auto it = std::upper_bound(steps.begin(), steps.end(), magnitude + 1e-9);
        next = it != steps.end() ? *it : steps.back();
    } else {
        auto it = std::lower_bound(steps.begin(), steps.end(), magnitude - 1e-9);
        next = it != steps.begin() ? *std::prev(it) : steps.front();
    }
    setRate(m_rate < 0 ? -next : next);
}

void MainWindow::showPosition(qint64 frame) {
    m_currentFrame = frame;
    m_transport->setCurrentFrame(frame);
    m_timeline->setPlayhead(frame);
    m_videoView->setHudText(
        QStringLiteral("%1  #%2").arg(Timecode::formatFrame(frame, m_frameRate)).arg(frame));
    m_analysis->setPlayhead(frame);
}

qint64 MainWindow::droppedFrames() const {
    return m_worker->droppedFrameCount();
}

void MainWindow::loadModel(const QString& source) {
    m_analysis->loadModel(source);
}

void MainWindow::setMarks(qint64 inFrame, qint64 outFrame) {
    m_markIn = inFrame;
    m_markOut = outFrame;
    m_timeline->setMarks(inFrame, outFrame);
}

void MainWindow::loadLabels(const QString& path) {
    const Result<QStringList> names = LabelFileReader::read(path);
    if (!names) {
        showError(
            tr("Could not read labels from %1. Use one label name per line.").arg(names.error().toString()));
        return;
    }
    Result<LabelSet> labels = LabelSet::fromNames(*names);
    if (!labels) {
        showError(tr("The labels in %1 are not usable: %2").arg(path, labels.error().message));
        return;
    }
    reportStatus(m_document->setLabels(*labels));
    refreshLabels();
}

void MainWindow::refreshLabels() {
    QVector<LabelEntry> entries;
    for (const Label& label : m_document->labels().labels())
        entries.append({label.name, label.color, label.key});
    m_labels->setLabels(entries);
    refreshSegments();
}

void MainWindow::refreshSegments() {
    const VideoEntry* video = m_document->video(m_videoId);
    QVector<TimelineSegment> segments;
    if (video) {
        for (const Segment& segment : video->segments) {
            TimelineSegment item;
            item.id = segment.id;
            item.startFrame = segment.startFrame;
            item.endFrame = segment.endFrame;
            item.label = segment.label;
            const Label* label = m_document->labels().label(segment.label);
            item.color = label ? label->color : QColor();
            switch (segment.state) {
            case SegmentState::Proposed:
                item.state = TimelineSegmentState::Proposed;
                break;
            case SegmentState::Accepted:
                item.state = segment.source.origin == SegmentOrigin::Model ? TimelineSegmentState::Accepted
                                                                           : TimelineSegmentState::Manual;
                break;
            case SegmentState::Rejected:
                item.state = TimelineSegmentState::Rejected;
                break;
            case SegmentState::Edited:
                item.state = TimelineSegmentState::Edited;
                break;
            }
            item.confidence = segment.source.confidence.value_or(-1.0);
            segments.append(item);
        }
        if (!video->segment(m_selectedSegment))
            m_selectedSegment.clear();
    }
    m_timeline->setSegments(segments);
    m_timeline->setSelectedSegment(m_selectedSegment);
    const Segment* selected = video ? video->segment(m_selectedSegment) : nullptr;
    m_labels->setCurrentLabel(selected ? selected->label : m_currentLabel);
}

void MainWindow::createSegmentFromMarks() {
    if (m_videoId.isEmpty())
        return;
    if (m_document->labels().isEmpty()) {
        showInformation(tr("Add labels first: start Saccade with --labels FILE (one label per line)."));
        return;
    }
    const qint64 in = m_markIn >= 0 ? m_markIn : m_currentFrame;
    const qint64 out = m_markOut >= 0 ? m_markOut : m_currentFrame;
    Segment segment;
    segment.startFrame = std::min(in, out);
    segment.endFrame = std::max(in, out) + 1;
    segment.label = m_document->labels().contains(m_currentLabel)
                        ? m_currentLabel
                        : m_document->labels().labels().front().name;
    segment.state = SegmentState::Accepted;
    const Result<QString> id = m_document->addSegment(m_videoId, segment);
    if (!id) {
        reportStatus(id.error());
        return;
    }
    setMarks(-1, -1);
    selectSegment(*id);
}

void MainWindow::applyLabelKey(int key) {
    const QString name = m_document->labels().nameForKey(key);
    if (name.isEmpty()) {
        statusBar()->showMessage(tr("No label has key %1").arg(key), 2000);
        return;
    }
    m_currentLabel = name;
    const QString id = targetSegment();
    if (!id.isEmpty())
        reportStatus(m_document->setSegmentLabel(m_videoId, id, name));
    else
        m_labels->setCurrentLabel(name);
}

void MainWindow::selectSegment(const QString& id) {
    m_selectedSegment = id;
    refreshSegments();
}

QString MainWindow::targetSegment() const {
    const VideoEntry* video = m_document->video(m_videoId);
    if (!video)
        return {};
    if (video->segment(m_selectedSegment))
        return m_selectedSegment;
    for (const Segment& segment : video->segments) {
        if (segment.startFrame <= m_currentFrame && m_currentFrame < segment.endFrame)
            return segment.id;
    }
    return {};
}

void MainWindow::jumpToSegment(int direction) {
    const VideoEntry* video = m_document->video(m_videoId);
    if (!video)
        return;
    const Segment* best = nullptr;
    for (const Segment& segment : video->segments) {
        const bool after =
            direction > 0 ? segment.startFrame > m_currentFrame : segment.startFrame < m_currentFrame;
        if (!after)
            continue;
        if (!best ||
            (direction > 0 ? segment.startFrame < best->startFrame : segment.startFrame > best->startFrame))
            best = &segment;
    }
    if (!best)
        return;
    selectSegment(best->id);
    seekTo(best->startFrame);
}

void MainWindow::splitSegment(const QString& id, qint64 frame) {
    const VideoEntry* video = m_document->video(m_videoId);
    const Segment* segment = video ? video->segment(id) : nullptr;
    if (!segment || frame <= segment->startFrame || frame >= segment->endFrame)
        return;
    Segment first = *segment;
    Segment second = *segment;
    first.endFrame = frame;
    second.id.clear();
    second.startFrame = frame;
    // One undo step for the whole split.
    m_document->undoStack()->beginMacro(tr("Split segment"));
    const Status shortened = m_document->updateSegment(m_videoId, first);
    const Result<QString> added =
        shortened ? m_document->addSegment(m_videoId, second) : Result<QString>(shortened.error());
    m_document->undoStack()->endMacro();
    if (!added)
        reportStatus(added.error());
    else
        selectSegment(*added);
}

void MainWindow::mergeWithNext(const QString& id) {
    const VideoEntry* video = m_document->video(m_videoId);
    const Segment* segment = video ? video->segment(id) : nullptr;
    if (!segment)
        return;
    const Segment* next = nullptr;
    for (const Segment& other : video->segments) {
        if (other.id != id && other.startFrame >= segment->startFrame &&
            (!next || other.startFrame < next->startFrame))
            next = &other;
    }
    if (!next) {
        statusBar()->showMessage(tr("No segment after this one to merge with"), 2000);
        return;
    }
    Segment merged = *segment;
    merged.endFrame = std::max(segment->endFrame, next->endFrame);
    const QString nextId = next->id;
    m_document->undoStack()->beginMacro(tr("Merge segments"));
    Status status = m_document->updateSegment(m_videoId, merged);
    if (status)
        status = m_document->removeSegment(m_videoId, nextId);
    m_document->undoStack()->endMacro();
    reportStatus(status);
}

void MainWindow::toggleLoop(const QString& id) {
    const VideoEntry* video = m_document->video(m_videoId);
    const Segment* segment = video ? video->segment(id) : nullptr;
    if (!segment || m_loopSegment == id) {
        m_loopSegment.clear();
        statusBar()->showMessage(tr("Loop off"), 1500);
        return;
    }
    m_loopSegment = id;
    statusBar()->showMessage(tr("Looping %1").arg(segment->label), 1500);
    seekTo(segment->startFrame);
    if (!m_playing)
        togglePlay();
}

void MainWindow::reportStatus(const Status& status) {
    if (!status)
        showError(status.error().toString());
}

void MainWindow::openVideo(const QString& path) {
    const QFileInfo info(path);
    if (!info.exists()) {
        showError(tr("%1 does not exist. Check the path, or open another video with Ctrl+O.").arg(path));
        openNextQueuedVideo();
        return;
    }
    m_settings.setLastOpenDirectory(info.absolutePath());
    m_messageBar->dismiss();
    m_pendingPath = info.absoluteFilePath();
    m_videoView->clear(tr("Opening %1\u2026").arg(info.fileName()));
    m_worker->open(m_pendingPath);
}

void MainWindow::onOpened(const VideoInfo& info) {
    m_videoPath = m_pendingPath.isEmpty() ? info.path : m_pendingPath;
    m_videoId.clear();
    for (const VideoEntry& video : m_document->videos()) {
        if (video.path == m_videoPath)
            m_videoId = video.id;
    }
    if (m_videoId.isEmpty()) {
        VideoEntry entry;
        entry.id = m_document->data().uniqueVideoId(QFileInfo(m_videoPath).completeBaseName());
        entry.path = m_videoPath;
        entry.sizeBytes = QFileInfo(m_videoPath).size();
        entry.probe.width = info.width;
        entry.probe.height = info.height;
        entry.probe.fps = info.fps;
        entry.probe.frameCount = info.frameCount;
        entry.probe.durationSeconds = info.durationSeconds;
        const Status added = m_document->addVideo(entry);
        if (added)
            m_videoId = entry.id;
        else
            reportStatus(added);
        // Adding the video is not an edit the user should undo.
        m_document->undoStack()->clear();
    }
    m_selectedSegment.clear();
    m_settings.addRecentFile(m_videoPath);
    updateRecentMenu();
    updateWindowTitle();
    m_frameRate = FrameRate::fromFramesPerSecond(info.fps);
    if (!m_frameRate.isValid())
        m_frameRate = FrameRate{25, 1};
    m_frameCount = info.frameCount;
    m_currentFrame = 0;
    m_playing = false;
    m_shuttle.stop();
    m_reverseTimer->stop();
    setMarks(-1, -1);
    // Frames arrive upright: a quarter turn swaps the axes and inverts the pixel aspect.
    const bool quarterTurn = info.rotationDegrees == 90 || info.rotationDegrees == 270;
    const QSize upright = quarterTurn ? QSize(info.height, info.width) : QSize(info.width, info.height);
    const double sampleAspect = quarterTurn ? 1.0 / info.sampleAspectRatio() : info.sampleAspectRatio();
    m_videoView->setFrameGeometry(upright, sampleAspect);
    m_worker->setTargetSize(m_videoView->idealImageSize());
    m_transport->setFrameRate(m_frameRate);
    m_transport->setFrameCount(m_frameCount);
    m_transport->setPlaying(false);
    m_timeline->setFrameRate(m_frameRate);
    m_timeline->setFrameCount(m_frameCount);
    m_ribbon->clear();
    m_thumbnails->cancel();
    m_timeline->clearThumbnails();
    m_thumbnailTimer->start();
    refreshSegments();
    showPosition(0);
    m_explorerBinding->setVideoPath(m_videoPath);
    m_analysis->setVideo(m_videoPath, m_videoId, m_frameCount);
    m_videoInfo = info;
    showVideoInfo();
    Q_EMIT videoOpened();
    openNextQueuedVideo();
}

void MainWindow::onFrameCountSettled(qint64 frameCount) {
    // The container's count shown at open was an estimate (exact for most MP4 files).
    if (frameCount == m_frameCount)
        return;
    m_frameCount = frameCount;
    m_transport->setFrameCount(m_frameCount);
    m_timeline->setFrameCount(m_frameCount);
    showVideoInfo();
}

void MainWindow::showVideoInfo() {
    const QSize display = m_videoInfo.displaySize();
    m_videoInfoLabel->setText(tr("%1  \u00b7  %2\u00d7%3  \u00b7  %4 fps  \u00b7  %5 frames  \u00b7  %6")
                                  .arg(QFileInfo(m_videoPath).fileName())
                                  .arg(display.width())
                                  .arg(display.height())
                                  .arg(QString::number(m_videoInfo.fps, 'f', 3))
                                  .arg(m_frameCount)
                                  .arg(m_videoInfo.codec));
}

void MainWindow::onFrame(const VideoFrame& frame) {
    m_worker->frameConsumed();
    if (frame.generation < m_worker->generation() || !frame.isValid())
        return;
    m_videoView->setImage(frame.image);
    showPosition(frame.index);
    if (!m_loopSegment.isEmpty() && m_playing) {
        const VideoEntry* video = m_document->video(m_videoId);
        const Segment* loop = video ? video->segment(m_loopSegment) : nullptr;
        if (!loop)
            m_loopSegment.clear();
        else if (frame.index >= loop->endFrame - 1 || frame.index < loop->startFrame)
            m_worker->seek(loop->startFrame);
    }
    Q_EMIT frameShown(frame.index);
}

void MainWindow::onPlayingChanged(bool playing) {
    m_playing = playing || m_reverseTimer->isActive();
    if (!m_playing)
        m_shuttle.stop();
    m_transport->setPlaying(m_playing);
}

void MainWindow::onDecodeError(const Error& error) {
    m_reverseTimer->stop();
    showError(tr("Could not read %1: %2. Try another file, or convert it with ffmpeg.")
                  .arg(error.path.isEmpty() ? QFileInfo(m_pendingPath).fileName()
                                            : QFileInfo(error.path).fileName(),
                       error.message));
    openNextQueuedVideo();
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    m_settings.setWindowGeometry(saveGeometry());
    m_settings.setWindowState(saveState());
    m_settings.sync();
    QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const QList<QUrl> urls = event->mimeData()->urls();
    for (const QUrl& url : urls) {
        if (url.isLocalFile() && url.toLocalFile().endsWith(QLatin1String(".saccade"))) {
            openProject(url.toLocalFile());
            event->acceptProposedAction();
            return;
        }
    }
    QStringList videos;
    for (const QUrl& url : urls) {
        if (url.isLocalFile())
            videos.append(url.toLocalFile());
    }
    if (videos.isEmpty())
        return;
    event->acceptProposedAction();
    openVideos(videos);
}

void MainWindow::openVideos(const QStringList& paths) {
    if (paths.isEmpty())
        return;
    m_videoQueue = paths.mid(1);
    openVideo(paths.first());
}

void MainWindow::openNextQueuedVideo() {
    if (!m_videoQueue.isEmpty())
        openVideo(m_videoQueue.takeFirst());
}

} // namespace saccade
