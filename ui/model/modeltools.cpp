#include "ui/model/modeltools.h"

#include "ui/model/proposalsettingsbox.h"

#include "core/annotation/projectstore.h"
#include "core/training/finetuneworker.h"
#include "ui/analysis/analysiscontroller.h"
#include "ui/mainwindow/mainwindow.h"
#include "ui/mainwindow/progressarea.h"
#include "ui/model/modelpanel.h"

#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QScrollArea>
#include <QStatusBar>

namespace saccade {

ModelTools::ModelTools(MainWindow* window) : QObject(window), m_window(window) {
    m_panel = new ModelPanel(window);
    m_dock = new QDockWidget(tr("Model"), window);
    m_dock->setObjectName(QStringLiteral("ModelDock"));
    // A short dock scrolls the panel instead of squeezing it.
    auto* scroll = new QScrollArea(m_dock);
    scroll->setWidget(m_panel);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_dock->setWidget(scroll);
    window->addDockWidget(Qt::LeftDockWidgetArea, m_dock);
    if (auto* videos = window->findChild<QDockWidget*>(QStringLiteral("VideosDock"))) {
        window->tabifyDockWidget(videos, m_dock);
        videos->raise();
    }
    m_progress = new ProgressArea(window);
    window->statusBar()->addPermanentWidget(m_progress);

    m_finetune = new FinetuneWorker(FinetuneOptions{}, this);
    connect(m_progress, &ProgressArea::cancelRequested, m_finetune, &FinetuneWorker::cancel);
    connect(m_finetune, &FinetuneWorker::progressChanged, this, [this](const FinetuneProgress& progress) {
        const double phase = progress.steps > 0 ? double(progress.step) / progress.steps : 0.0;
        // Extracting clips is the first half, training the second.
        const bool training = progress.phase == FinetuneProgress::Phase::Training;
        m_progress->setProgress(training ? 0.5 + 0.5 * phase : 0.5 * phase);
        m_window->statusBar()->showMessage(
            training ? tr("Fine-tuning: epoch %1 of %2, loss %3")
                           .arg(progress.epoch)
                           .arg(progress.epochs)
                           .arg(progress.loss, 0, 'f', 3)
                     : tr("Fine-tuning: preparing clip %1 of %2").arg(progress.step).arg(progress.steps),
            3000);
    });
    connect(m_finetune, &FinetuneWorker::succeeded, this, [this](const FinetuneSummary& summary) {
        m_progress->finish();
        m_panel->setFinetuneRunning(false);
        m_panel->setFinetuneResult(summary);
        m_dock->show();
        m_dock->raise();
        m_window->showInformation(tr("Fine-tuned: val accuracy %1% \u2192 %2%. Load it from the Model dock.")
                                      .arg(summary.valAccuracyBefore * 100.0, 0, 'f', 1)
                                      .arg(summary.valAccuracyAfter * 100.0, 0, 'f', 1));
        Q_EMIT finetuneDone(true);
    });
    connect(m_finetune, &FinetuneWorker::failed, this, [this](const Error& error) {
        m_progress->finish();
        m_panel->setFinetuneRunning(false);
        if (error.category == ErrorCategory::Cancelled) {
            m_panel->setFinetuneError(tr("Fine-tuning cancelled; nothing was written."));
        } else {
            m_panel->setFinetuneError(tr("Fine-tuning failed: %1").arg(error.toString()));
            m_window->showError(tr("Fine-tuning failed: %1").arg(error.toString()));
        }
        Q_EMIT finetuneDone(false);
    });

    connect(m_panel, &ModelPanel::openFileRequested, this, &ModelTools::chooseFile);
    connect(m_panel, &ModelPanel::openFolderRequested, this, &ModelTools::chooseFolder);
    connect(m_panel, &ModelPanel::finetuneRequested, this, &ModelTools::startFinetune);
    connect(m_panel, &ModelPanel::loadFinetunedRequested, this, &ModelTools::loadModel);
    connect(window, &MainWindow::videoOpened, this, &ModelTools::updateFinetuneNote);
    updateFinetuneNote();
}

ModelTools::~ModelTools() = default;

void ModelTools::addFileActions(QMenu* file) {
    file->addAction(tr("Open &Model\u2026"), this, &ModelTools::chooseFile);
    file->addAction(tr("Open Model &Folder\u2026"), this, &ModelTools::chooseFolder);
}

void ModelTools::setAnalysis(AnalysisController* analysis) {
    m_analysis = analysis;
    connect(analysis, &AnalysisController::modelLoaded, this, [this](const ModelSummary& summary) {
        m_loading.clear();
        m_panel->setModel(summary);
        updateFinetuneNote();
    });
    // The controller reports every problem the same way; a failed load is one while no model is loaded.
    connect(analysis, &AnalysisController::errorOccurred, this, [this](const QString& text) {
        if (m_loading.isEmpty() || !m_analysis || m_analysis->hasModel())
            return;
        m_loading.clear();
        m_panel->setLoadFailed(text);
    });
    m_panel->proposalSettings()->setOptions(analysis->localizationOptions());
    connect(m_panel->proposalSettings(), &ProposalSettingsBox::optionsChanged, this,
            [this](const LocalizationOptions& options) {
                if (!m_analysis)
                    return;
                m_analysis->setLocalizationOptions(options);
                m_analysis->repropose();
            });
    if (analysis->hasModel())
        m_panel->setModel(analysis->model());
    else if (!analysis->modelSource().isEmpty())
        m_panel->setLoading(analysis->modelSource());
}

void ModelTools::loadModel(const QString& source) {
    if (source.isEmpty())
        return;
    m_loading = source;
    m_panel->setLoading(source);
    m_window->loadModel(source);
    updateFinetuneNote();
}

void ModelTools::chooseFile() {
    const QString start = m_analysis ? QFileInfo(m_analysis->modelSource()).absolutePath() : QString();
    const QString path = QFileDialog::getOpenFileName(
        m_window, tr("Open Model"), start,
        tr("TimeSformer checkpoints (*.pyth *.pth *.pt *.safetensors *.bin);;All files (*)"));
    loadModel(path);
}

void ModelTools::chooseFolder() {
    const QString start = m_analysis ? QFileInfo(m_analysis->modelSource()).absolutePath() : QString();
    loadModel(QFileDialog::getExistingDirectory(m_window, tr("Open Hugging Face Model Folder"), start));
}

void ModelTools::updateFinetuneNote() {
    m_panel->setFinetuneNote(
        m_window->projectStore()
            ? QString()
            : tr("Fine-tuning reads the accepted and edited segments from the project file: "
                 "it asks where to save the project first."));
}

QString ModelTools::finetuneDirectory(const QString& projectPath) {
    const QFileInfo project(projectPath);
    return project.dir().filePath(
        QStringLiteral("%1-finetuned-%2")
            .arg(project.completeBaseName(),
                 QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"))));
}

bool ModelTools::startFinetune(const FinetuneChoice& choice) {
    if (!m_analysis || !m_analysis->hasModel() || m_finetune->isRunning())
        return false;
    // The run reads the project file: unsaved edits would be missing from it.
    if ((!m_window->projectStore() || m_window->hasUnsavedChanges()) && !m_window->saveProject()) {
        updateFinetuneNote();
        return false;
    }
    updateFinetuneNote();
    FinetuneOptions options;
    options.model = m_analysis->modelSource();
    options.projectPath = m_window->projectStore()->path();
    options.outputDirectory = finetuneDirectory(options.projectPath);
    options.headOnly = choice.headOnly;
    options.onlyNewClasses = choice.onlyNewClasses;
    options.epochs = choice.epochs;
    m_finetune->setOptions(options);
    m_panel->setFinetuneRunning(true);
    m_progress->start(tr("Fine-tuning %1").arg(QFileInfo(options.model).fileName()));
    m_finetune->start();
    return true;
}

} // namespace saccade
